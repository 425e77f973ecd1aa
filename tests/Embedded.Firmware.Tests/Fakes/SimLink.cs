using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>
/// One end of an in-memory serial pair. Writes pass through a seeded fault injector into the peer's
/// receive queue; reads never block.
/// </summary>
internal sealed class SimLink : ISerialLink
{
    private readonly Queue<byte> _inbox = new();
    private readonly Random _random;
    private SimLink _peer = null!;
    private byte[]? _held;

    private SimLink(int seed) => _random = new Random(seed);

    public FaultProfile Faults { get; set; } = FaultProfile.Clean;

    /// <summary>When false, everything written is lost (a cable pulled out).</summary>
    public bool Connected { get; set; } = true;

    public long BytesWritten { get; private set; }

    public static (SimLink Pc, SimLink Device) CreatePair(int seed)
    {
        var pc = new SimLink(seed);
        var device = new SimLink(seed * 7919 + 1);
        pc._peer = device;
        device._peer = pc;
        return (pc, device);
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _inbox.Count > 0) buffer[offset + n++] = _inbox.Dequeue();
        return n;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        BytesWritten += count;
        if (!Connected) return;
        var bytes = buffer.AsSpan(offset, count).ToArray();
        var f = Faults;
        if (Chance(f.DropWrite)) return;
        bytes = Damage(bytes, f);
        if (Chance(f.DelayWrite) && _held is null)
        {
            _held = bytes;
            return;
        }
        Deliver(bytes);
        if (Chance(f.DuplicateWrite)) Deliver(bytes);
        if (_held is not null)
        {
            Deliver(_held);
            _held = null;
        }
    }

    private byte[] Damage(byte[] bytes, FaultProfile f)
    {
        if (f == FaultProfile.Clean) return bytes;
        var output = new List<byte>(bytes.Length + 4);
        foreach (byte b in bytes)
        {
            if (Chance(f.DropByte)) continue;
            byte value = b;
            if (Chance(f.FlipBit)) value ^= (byte)(1 << _random.Next(8));
            output.Add(value);
            if (Chance(f.DuplicateByte)) output.Add(value);
        }
        for (int i = 0; i + 1 < output.Count; i++)
        {
            if (Chance(f.SwapBytes)) (output[i], output[i + 1]) = (output[i + 1], output[i]);
        }
        if (output.Count > 1 && Chance(f.Truncate))
        {
            int keep = _random.Next(output.Count);
            output.RemoveRange(keep, output.Count - keep);
        }
        return output.ToArray();
    }

    private void Deliver(byte[] bytes)
    {
        foreach (byte b in bytes) _peer._inbox.Enqueue(b);
    }

    private bool Chance(double p) => p > 0 && _random.NextDouble() < p;
}
