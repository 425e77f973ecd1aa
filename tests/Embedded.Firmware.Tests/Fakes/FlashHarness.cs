using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>
/// A PC sender and a device receiver joined by a simulated serial pair, stepped together in
/// simulated time (1 ms per step) so fault and timeout scenarios run in microseconds.
/// </summary>
internal sealed class FlashHarness : IModelCommitListener
{
    public const int MaxModelSize = 16 * 1024;

    public FlashHarness(MemoryFileStore files, int seed, byte[]? key = null, IModelValidator? validator = null)
    {
        Files = files;
        Validator = validator ?? new EnvelopeValidator();
        (PcLink, DeviceLink) = SimLink.CreatePair(seed);
        Store = new ModelStore(files, Validator, MaxModelSize);
        Receiver = new FlashReceiver(DeviceLink, Clock, Store, this) { Key = key, FirmwareVersion = 0x0102 };
        Seed = seed;
    }

    public int Seed { get; }
    public SimClock Clock { get; } = new();
    public MemoryFileStore Files { get; }
    public IModelValidator Validator { get; }
    public SimLink PcLink { get; }
    public SimLink DeviceLink { get; }
    public ModelStore Store { get; }
    public FlashReceiver Receiver { get; }
    public List<byte[]> Committed { get; } = new();

    public void OnModelCommitted(byte[] image) => Committed.Add(image);

    public FlashSender CreateSender(byte[] image, byte[]? tag = null, int maxRetries = 40) =>
        new(PcLink, Clock, image, tag, Seed * 31 + 5) { MaxRetries = maxRetries, ResponseTimeoutMs = 50, CommitTimeoutMs = 500 };

    /// <summary>Steps both ends until the sender finishes, the device loses power, or the step budget runs out.</summary>
    public FlashSender Run(FlashSender sender, int maxSteps = 2_000_000)
    {
        for (int step = 0; step < maxSteps && !sender.IsFinished && !Files.PoweredOff; step++)
        {
            sender.Poll();
            try
            {
                Receiver.Poll();
            }
            catch (PowerLostException)
            {
                break;
            }
            Clock.Advance(1);
        }
        return sender;
    }

    /// <summary>Steps only the device (the PC has gone away).</summary>
    public void RunDeviceOnly(int milliseconds)
    {
        for (int i = 0; i < milliseconds; i++)
        {
            Receiver.Poll();
            Clock.Advance(1);
        }
    }
}
