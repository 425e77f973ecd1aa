using System.Globalization;
using Embedded.Cli.Flashing;
using Embedded.Firmware.Tests.Fakes;
using Embedded.Tests.Common;

namespace Embedded.Firmware.Tests;

/// <summary>
/// `embedded record` over a pseudo-terminal pair (socat) against the firmware app, as the flashing end-to-end
/// test does: the CSV it writes is read by `train` and `detect` as is. Skips without socat.
/// </summary>
public sealed class RecordPtyTests
{
    private const double VoltsPerCount = 3.3 / 4095.0;

    [SkippableFact]
    public void Record_writes_a_csv_of_every_sample_that_train_and_detect_read_directly()
    {
        Skip.If(SocatPair.SocatPath() is null, "socat not installed");
        using var pair = SocatPair.Start();
        string work = TestPaths.NewTempDir();
        string csv = Path.Combine(work, "data.csv");
        Cli.Result recorded;
        using (var device = new DeviceSimulator(pair.Second, TestPaths.NewTempDir())) // no model on it: recording needs none
        {
            Assert.Equal("none", device.App.ModelSource);
            recorded = Cli.Run("record", "--port", pair.First, "--out", csv, "--samples", "400");
            lock (device.App) Assert.False(device.App.Receiver.IsRecording);
        }
        Assert.True(recorded.ExitCode == 0, recorded.StdOut + recorded.StdErr);
        Assert.Contains("record: 400 samples of 1 features -> data.csv; 0 lost (sequence gaps), 0 corrupt frames, 0 sensor errors on the device", recorded.StdOut);

        string[] lines = File.ReadAllLines(csv);
        Assert.Equal("timestamp,adc", lines[0]);
        Assert.Equal(401, lines.Length);
        DateTime? previous = null;
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            DateTime t = DateTime.Parse(cells[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            if (previous is DateTime p) Assert.True(t > p, line); // the device's own clock, in order
            previous = t;
            double counts = double.Parse(cells[1], CultureInfo.InvariantCulture) / VoltsPerCount;
            Assert.InRange(counts, 1999.99, 2006.01); // the simulated ADC reads 2000 + i % 7
            Assert.InRange(Math.Abs(counts - Math.Round(counts)), 0, 0.01);
        }

        var detect = Cli.Run("detect", "--data", csv, "--out", Path.Combine(work, "scores.csv"));
        Assert.True(detect.ExitCode == 0, detect.StdErr);
        var train = Cli.Run("train", "--data", csv, "--out", Path.Combine(work, "model.ckpt"), "--epochs", "1", "--hidden", "4", "--window", "16");
        Assert.True(train.ExitCode == 0, train.StdErr);
    }

    [SkippableFact]
    public void Record_for_a_time_stops_the_device_and_bad_usage_or_no_device_are_one_line_errors()
    {
        Skip.If(SocatPair.SocatPath() is null, "socat not installed");
        string work = TestPaths.NewTempDir();
        string csv = Path.Combine(work, "timed.csv");
        using (var pair = SocatPair.Start())
        using (var device = new DeviceSimulator(pair.Second, TestPaths.NewTempDir()))
        {
            var timed = Cli.Run("record", "--port", pair.First, "--out", csv, "--seconds", "1");
            Assert.True(timed.ExitCode == 0, timed.StdErr);
            lock (device.App) Assert.False(device.App.Receiver.IsRecording);
            Assert.True(File.ReadAllLines(csv).Length > 1, "no samples recorded");
        }

        var both = Cli.Run("record", "--port", "/dev/null", "--out", csv, "--seconds", "1", "--samples", "5");
        Assert.Equal(2, both.ExitCode);
        Assert.StartsWith("record: give --seconds or --samples, not both", both.StdErr);

        var missing = Cli.Run("record", "--port", "/dev/does-not-exist", "--out", csv);
        Assert.Equal(FlashExitCodes.NoDevice, missing.ExitCode);
        Assert.Equal("record: no device: no such port /dev/does-not-exist", missing.StdErr.Trim());

        using var silent = SocatPair.Start();
        var nobody = Cli.Run("record", "--port", silent.First, "--out", csv, "--samples", "5", "--retries", "1", "--timeout-ms", "100");
        Assert.Equal(FlashExitCodes.NoDevice, nobody.ExitCode);
        Assert.Contains("no reply to RecordStart after 2 tries", nobody.StdErr);
    }
}
