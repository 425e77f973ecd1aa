using System.Text;
using Embedded.Firmware;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>A <see cref="FirmwareApp"/> on fake hardware, with the PC end of its serial link for reading its lines and flashing it.</summary>
internal sealed class AppRig
{
    private readonly StringBuilder _text = new();

    public AppRig(MemoryFileStore files, byte[]? embedded, IAnalogInput? adc = null, Mpu6050? mpu = null, int mpuChannels = 3,
        IModelValidator? validator = null, IModelRunnerFactory? factory = null, FirmwareConfig? config = null)
    {
        Files = files;
        Config = config ?? new FirmwareConfig { StatusEverySamples = 5, MaxModelSize = FlashHarness.MaxModelSize };
        (PcLink, DeviceLink) = SimLink.CreatePair(17);
        Factory = factory ?? new FakeRunnerFactory();
        Sampler = new SensorSampler(adc ?? new FakeAdc(i => 2048), 3.3 / 4095.0, mpu, mpuChannels);
        App = new FirmwareApp(Config, DeviceLink, Clock, files, new FakeEmbeddedModel(embedded), validator ?? new EnvelopeValidator(),
            Factory, Sampler, Led);
    }

    public MemoryFileStore Files { get; }
    public FirmwareConfig Config { get; }
    public SimClock Clock { get; } = new();
    public SimLink PcLink { get; }
    public SimLink DeviceLink { get; }
    public IModelRunnerFactory Factory { get; }
    public SensorSampler Sampler { get; }
    public FakeLed Led { get; } = new();
    public FirmwareApp App { get; }

    /// <summary>Runs the main loop for <paramref name="milliseconds"/> of simulated time.</summary>
    public void RunFor(int milliseconds, FlashSender? sender = null)
    {
        for (int i = 0; i < milliseconds; i++)
        {
            sender?.Poll();
            App.Tick();
            Clock.Advance(1);
        }
    }

    /// <summary>Runs the loop and a PC sender until the transfer finishes.</summary>
    public FlashSender Flash(byte[] image, byte[]? tag = null)
    {
        var sender = new FlashSender(PcLink, Clock, image, tag, 4242) { ResponseTimeoutMs = 50, CommitTimeoutMs = 500 };
        for (int i = 0; i < 200_000 && !sender.IsFinished; i++) RunFor(1, sender);
        return sender;
    }

    /// <summary>Text lines the device has written so far (protocol frames are skipped).</summary>
    public List<string> Lines()
    {
        var buffer = new byte[4096];
        int n;
        while ((n = PcLink.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < n; i++) _text.Append(buffer[i] == 0 ? '\u0001' : (char)buffer[i]);
        }
        return _text.ToString().Split('\n').Where(l => l.Length > 0 && !l.Contains('\u0001')).ToList();
    }
}
