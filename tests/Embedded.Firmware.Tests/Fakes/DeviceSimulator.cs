using Embedded.Firmware;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>
/// The firmware app logic running on a background thread against a pseudo-terminal, real time, a
/// folder as its flash and the production validator and runner: a device on the other end of a cable.
/// </summary>
internal sealed class DeviceSimulator : IDisposable
{
    private readonly StreamLink _link;
    private readonly Thread _thread;
    private volatile bool _stop;
    private Exception? _crash;

    /// <param name="adc">ADC counts for the i-th read (default 2000 + i % 7); null throws (a failed read).</param>
    public DeviceSimulator(string ptyPath, string flashFolder, int maxModelSize = 64 * 1024, Func<int, int?>? adc = null)
    {
        _link = new StreamLink(ptyPath);
        var config = new FirmwareConfig { StatusEverySamples = 0, MaxModelSize = maxModelSize, DefaultSamplePeriodMs = 10 };
        var sampler = new SensorSampler(new FakeAdc(adc ?? (i => 2000 + (i % 7))), 3.3 / 4095.0, null, 3);
        App = new FirmwareApp(config, _link, new WallClock(), new DirectoryFileStore(flashFolder), new FakeEmbeddedModel(new byte[0]),
            new GoldenVectorValidator(), new ModelRunnerFactory(), sampler, new FakeLed());
        App.Boot();
        _thread = new Thread(Loop) { IsBackground = true, Name = "device simulator" };
        _thread.Start();
    }

    public FirmwareApp App { get; }

    private void Loop()
    {
        try
        {
            while (!_stop)
            {
                lock (App) App.Tick();
                Thread.Sleep(1);
            }
        }
        catch (Exception e)
        {
            _crash = e;
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(5000);
        _link.Dispose();
        if (_crash is not null) throw new InvalidOperationException("device loop crashed", _crash);
    }
}
