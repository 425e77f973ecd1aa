using System.Text;
using Embedded.Edge.Hosting;
using Embedded.Edge.Tests.Support;
using Embedded.Tests.Common;
using Embedded.Trainer.Data;

namespace Embedded.Edge.Tests.Hosting;

/// <summary>`--output raw-csv`: training data from the Pi's sensors, in the CSV `train` and `detect` read.</summary>
public class RawCsvOutputTests
{
    [Fact]
    public async Task WithoutAModelTheSimulatedSensorsAreRecordedUnderTheirChannelNamesAndTrainReadsTheFile()
    {
        var stdout = new MemoryStream();
        var log = new ListLog();
        var config = new EdgeConfig
        {
            Simulate = true, Sensors = ["mpu6050.accel_z", "bme280.pressure", "sht3x.humidity"], Output = "raw-csv", MaxSamples = 20, RateHz = 200,
        };
        await new EdgeApp(config, log.Log, stdout, TextReader.Null).RunAsync(CancellationToken.None);

        string text = Encoding.UTF8.GetString(stdout.ToArray());
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("timestamp,mpu6050.accel_z,bme280.pressure,sht3x.humidity", lines[0]);
        Assert.Equal(21, lines.Length);
        Assert.True(log.Contains("stopped: 20 samples recorded"), string.Join("\n", log.Lines));

        string path = Path.Combine(TestPaths.NewTempDir(), "pi.csv");
        await File.WriteAllTextAsync(path, text);
        CsvSeries series = CsvSeries.Load(path, null, null, "timestamp");
        Assert.Equal(["mpu6050.accel_z", "bme280.pressure", "sht3x.humidity"], series.TargetColumns);
        Assert.Equal(20, series.Count);
        Assert.All(series.Features, row =>
        {
            Assert.InRange(row[0], 0.5, 1.5);       // g, the simulated board lies flat
            Assert.InRange(row[1], 900, 1100);      // hPa
            Assert.InRange(row[2], 0, 100);         // %RH
        });
    }

    [Fact]
    public async Task WithAModelTheRawValuesOfAReplayAreWrittenAsTheyCame()
    {
        string dir = TestPaths.NewTempDir();
        string csv = Path.Combine(dir, "in.csv");
        await File.WriteAllTextAsync(csv, "time,a\n2024-01-01 00:00:00,1.5\n2024-01-01 00:00:01,\n2024-01-01 00:00:02,-0.125\n");
        string model = Path.Combine(dir, "model.bin");
        await File.WriteAllBytesAsync(model, TestModels.Forecaster(1));
        var stdout = new MemoryStream();
        var config = new EdgeConfig { Model = model, Source = "csv:" + csv, Speed = "max", Output = "raw-csv" };
        await new EdgeApp(config, new ListLog().Log, stdout, TextReader.Null).RunAsync(CancellationToken.None);
        Assert.Equal("timestamp,a\n2024-01-01 00:00:00,1.5\n2024-01-01 00:00:01,\n2024-01-01 00:00:02,-0.125\n", Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public async Task SerialWithoutAModelNeedsColumnsAndOtherOutputsNeedAModel()
    {
        var serial = new EdgeConfig { Source = "serial:/dev/null", Output = "raw-csv" };
        var e = await Assert.ThrowsAsync<EdgeConfigException>(() => new EdgeApp(serial, new ListLog().Log, new MemoryStream(), TextReader.Null).RunAsync(CancellationToken.None));
        Assert.Equal("--source serial: without --model, give --columns (the channels to record).", e.Message);

        var json = new EdgeConfig { Simulate = true, Output = "json" };
        e = await Assert.ThrowsAsync<EdgeConfigException>(() => new EdgeApp(json, new ListLog().Log, new MemoryStream(), TextReader.Null).RunAsync(CancellationToken.None));
        Assert.Contains("--model is required", e.Message);
    }
}
