using System.Text;
using Embedded.Shared.Flashing;

namespace Embedded.Cli.Recording;

/// <summary>One sample received in record mode: the device's sequence number and clock, and the raw features.</summary>
public readonly record struct RecordedSample(uint Number, uint DeviceTimeMs, double[] Values, bool Saturated);

/// <summary>What a device announced in RecordInfo.</summary>
public sealed record RecordInfo(string[] FeatureNames, int PeriodMs, int FracBits);

/// <summary>
/// PC side of record mode (docs/PROTOCOL.md): sends RecordStart until the device answers RecordInfo (or
/// refuses), then turns Sample frames into <see cref="RecordedSample"/>s, counting sequence gaps as lost
/// samples and frames that fail COBS/CRC as corrupt; repeats RecordStart as a keep-alive; <see cref="Stop"/>
/// sends RecordStop until it is acknowledged. Poll-driven like <see cref="FlashSender"/>, so tests drive it
/// with an in-memory link and a fake clock.
/// </summary>
public sealed class RecordSession
{
    private readonly ISerialLink _link;
    private readonly IClock _clock;
    private readonly FrameDecoder _decoder = new();
    private readonly FrameWriter _writer = new();
    private readonly byte[] _read = new byte[4096];
    private readonly Queue<RecordedSample> _samples = new();
    private int _sequence;
    private int _tries;
    private long _sentAt;
    private int _badFramesAtStart;
    private uint? _lastNumber;
    private int _malformed;
    private bool _stopping;

    public RecordSession(ISerialLink link, IClock clock, int firstSequence)
    {
        _link = link;
        _clock = clock;
        _sequence = firstSequence & 0xFFFF;
    }

    public int ResponseTimeoutMs { get; init; } = 500;
    public int MaxRetries { get; init; } = 8;
    public int KeepAliveMs { get; init; } = 2000;

    public RecordInfo? Info { get; private set; }

    /// <summary>Set when the session cannot go on: no answer, or the device refused.</summary>
    public string? Failure { get; private set; }

    /// <summary>True when the device answered RecordStart with Error (e.g. another protocol version).</summary>
    public bool Refused { get; private set; }

    public bool Stopped { get; private set; }

    /// <summary>Samples missing between received sequence numbers (lost or damaged on the wire).</summary>
    public long Lost { get; private set; }

    /// <summary>Frames dropped for bad COBS, CRC or length since recording started.</summary>
    public int Corrupt => Info is null ? 0 : _decoder.BadFrames - _badFramesAtStart + _malformed;

    /// <summary>Samples the device could not read from its sensors (as last reported by the device).</summary>
    public uint SensorSkipped { get; private set; }

    /// <summary>Samples that arrived with a value clamped to the Q15.16 range.</summary>
    public long Saturated { get; private set; }

    /// <summary>Frames with a sequence number not after the last one (a repeat); ignored.</summary>
    public long OutOfOrder { get; private set; }

    /// <summary>Value of the device's Ack to RecordStop: samples it sent.</summary>
    public uint? DeviceSent { get; private set; }

    public void Start()
    {
        _sequence = (_sequence + 1) & 0xFFFF;
        _tries = 0;
        Send(MessageType.RecordStart, RecordProtocol.WriteStart(_writer.Payload));
    }

    /// <summary>Sends RecordStop; keep polling until <see cref="Stopped"/> (or a failure).</summary>
    public void Stop()
    {
        if (Stopped || Failure is not null) return;
        _sequence = (_sequence + 1) & 0xFFFF;
        _tries = 0;
        _stopping = true;
        Send(MessageType.RecordStop, 0);
    }

    /// <summary>Reads what the link has, handles timeouts; returns the samples decoded meanwhile.</summary>
    public IEnumerable<RecordedSample> Poll()
    {
        while (true)
        {
            int n = _link.Read(_read, 0, _read.Length);
            if (n <= 0) break;
            for (int i = 0; i < n; i++)
            {
                if (_decoder.Push(_read[i])) Handle(_decoder.Current);
            }
        }
        long now = _clock.NowMilliseconds;
        bool waiting = (Info is null || _stopping) && !Stopped && Failure is null;
        if (waiting && now - _sentAt >= ResponseTimeoutMs)
        {
            if (_tries >= MaxRetries)
            {
                Failure = Info is null
                    ? $"no reply to RecordStart after {_tries + 1} tries (no device, or firmware without record mode)"
                    : $"no reply to RecordStop after {_tries + 1} tries";
            }
            else
            {
                _tries++;
                _writer.SendTo(_link);
                _sentAt = now;
            }
        }
        else if (Info is not null && !_stopping && !Stopped && now - _sentAt >= KeepAliveMs)
        {
            _writer.SendTo(_link); // the same RecordStart: the device answers its cached RecordInfo and keeps streaming
            _sentAt = now;
        }
        while (_samples.Count > 0) yield return _samples.Dequeue();
    }

    private void Send(MessageType type, int length)
    {
        _writer.Build(type, _sequence, length);
        _writer.SendTo(_link);
        _sentAt = _clock.NowMilliseconds;
    }

    private void Handle(Frame frame)
    {
        switch (frame.Type)
        {
            case MessageType.RecordInfo when Info is null && frame.Sequence == _sequence:
                Info = ParseInfo(frame.Payload, frame.PayloadLength);
                _badFramesAtStart = _decoder.BadFrames;
                break;
            case MessageType.Error when frame.Sequence == _sequence && !Stopped:
                Refused = true;
                Failure = "device refused: " + ErrorText(frame);
                break;
            case MessageType.Ack when _stopping && frame.Sequence == _sequence:
                DeviceSent = frame.PayloadLength >= 4 ? BitConverter.ToUInt32(frame.Payload, 0) : null;
                Stopped = true;
                break;
            case MessageType.Sample when Info is not null && !Stopped:
                Accept(frame);
                break;
        }
    }

    private void Accept(Frame frame)
    {
        byte[] p = frame.Payload;
        int count = frame.PayloadLength >= RecordProtocol.SampleHeaderSize ? RecordProtocol.ReadCount(p) : -1;
        if (count != Info!.FeatureNames.Length || frame.PayloadLength != RecordProtocol.SampleLength(count))
        {
            // CRC-valid but not what RecordInfo announced: treat as corrupt rather than guess.
            _malformed++;
            return;
        }
        uint number = RecordProtocol.ReadSampleNumber(p);
        if (_lastNumber is uint last)
        {
            if (number <= last)
            {
                OutOfOrder++;
                return;
            }
            Lost += number - last - 1;
        }
        else
        {
            Lost += number; // samples the device sent before the first one that arrived
        }
        _lastNumber = number;
        SensorSkipped = RecordProtocol.ReadSkipped(p);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = RecordProtocol.ReadValue(p, i);
        bool saturated = (RecordProtocol.ReadFlags(p) & RecordProtocol.FlagSaturated) != 0;
        if (saturated) Saturated++;
        _samples.Enqueue(new RecordedSample(number, RecordProtocol.ReadTimeMs(p), values, saturated));
    }

    /// <summary>Decodes a RecordInfo payload; throws <see cref="InvalidDataException"/> when it is malformed.</summary>
    public static RecordInfo ParseInfo(byte[] payload, int length)
    {
        if (length < 5) throw new InvalidDataException($"RecordInfo of {length} bytes (at least 5 expected)");
        int count = payload[1];
        int period = payload[2] | payload[3] << 8;
        int fracBits = payload[4];
        var names = new string[count];
        int at = 5;
        for (int i = 0; i < count; i++)
        {
            if (at >= length) throw new InvalidDataException($"RecordInfo ends before feature {i + 1} of {count}");
            int n = payload[at++];
            if (at + n > length) throw new InvalidDataException($"RecordInfo feature {i + 1} name runs past the payload");
            names[i] = Encoding.ASCII.GetString(payload, at, n);
            at += n;
        }
        return new RecordInfo(names, period, fracBits);
    }

    private static string ErrorText(Frame frame)
    {
        if (frame.PayloadLength < 2) return "no reason given";
        return Encoding.ASCII.GetString(frame.Payload, 1, frame.PayloadLength - 1);
    }
}
