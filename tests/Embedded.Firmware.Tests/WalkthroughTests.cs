using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;
using Embedded.Tests.Common;

namespace Embedded.Firmware.Tests;

/// <summary>
/// The loop of docs/WALKTHROUGH.md, end to end with the real `embedded` commands and the firmware app on a
/// simulated board behind a pseudo-terminal pair: record -> train -> quantize -> flash -> the device detects.
/// Skips without socat.
/// </summary>
public sealed class WalkthroughTests
{
    /// <summary>A sensor on a slow cycle with a little noise; after <see cref="Break"/> it sticks near full scale.</summary>
    private sealed class Machine
    {
        private readonly Random _noise = new(7);
        public volatile bool Broken;

        public int? Read(int i)
        {
            if (Broken) return 3900 + _noise.Next(0, 7);
            return 2000 + (int)(200 * Math.Sin(i * 2 * Math.PI / 50)) + _noise.Next(0, 7);
        }
    }

    [SkippableFact]
    public void Record_train_quantize_flash_and_the_device_detects_a_fault()
    {
        Skip.If(SocatPair.SocatPath() is null, "socat not installed");
        using var pair = SocatPair.Start();
        string work = TestPaths.NewTempDir();
        string data = Path.Combine(work, "data.csv");
        string checkpoint = Path.Combine(work, "model.ckpt");
        string model = Path.Combine(work, "model.bin");
        var machine = new Machine();
        using var device = new DeviceSimulator(pair.Second, TestPaths.NewTempDir(), adc: machine.Read);
        lock (device.App) Assert.False(device.App.HasModel); // a new board: nothing to run yet

        // 1. record what the healthy machine's sensor sees
        var record = Cli.Run("record", "--port", pair.First, "--out", data, "--samples", "600");
        Assert.True(record.ExitCode == 0, record.StdErr);
        Assert.Contains("600 samples of 1 features", record.StdOut);

        // 2. train a forecaster on it, 3. quantize it (with golden vectors and the calibrated detector)
        var train = Cli.Run("train", "--data", data, "--out", checkpoint, "--epochs", "5", "--hidden", "8", "--window", "32");
        Assert.True(train.ExitCode == 0, train.StdErr);
        var quantize = Cli.Run("quantize", "--model", checkpoint, "--out", model);
        Assert.True(quantize.ExitCode == 0, quantize.StdErr);

        // 4. flash it
        var flash = Cli.Run("flash", model, "--port", pair.First);
        Assert.True(flash.ExitCode == 0, flash.StdErr);
        lock (device.App)
        {
            Assert.Equal("flash", device.App.ModelSource);
            Assert.True(device.App.ModelRunsOnSensors);
        }

        // 5. the device runs it on the healthy machine for a while ...
        Assert.True(WaitFor(device, () => device.App.Samples >= 300), "the device did not step the model");
        int anomaliesBefore;
        lock (device.App) anomaliesBefore = device.App.Anomalies;

        // ... and detects the fault: anomalies counted, LED on.
        machine.Broken = true;
        Assert.True(WaitFor(device, () => device.App.Anomalies > anomaliesBefore && device.App.LedOn), "the device did not report the fault");
    }

    /// <summary>Polls the device's state (under its lock) until the condition holds; the bound is only against a hang.</summary>
    private static bool WaitFor(DeviceSimulator device, Func<bool> condition)
    {
        for (int i = 0; i < 1200; i++)
        {
            lock (device.App)
            {
                if (condition()) return true;
            }
            Thread.Sleep(50);
        }
        return false;
    }
}
