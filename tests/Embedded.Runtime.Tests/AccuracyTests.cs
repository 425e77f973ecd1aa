using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Data;
using Embedded.Trainer.Quantization;
using Embedded.Trainer.Training;
using Xunit.Abstractions;

namespace Embedded.Runtime.Tests;

/// <summary>The issue's accuracy bar: int16 costs at most 1 % RMSE against the true targets, int8 at most 5 %.</summary>
public class AccuracyTests(ITestOutputHelper output)
{
    public static TheoryData<CellType, int> CellsAndBits() => QuantizerTests.CellsAndBits();

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Noisy_sine_forecast_keeps_its_accuracy_after_quantisation(CellType cell, int bits)
    {
        var series = ForecastFits.NoisySine(3000, noise: 0.1, seed: 5);
        var model = ForecastFits.Fit(cell, series, hidden: 24, seed: 3, fitRows: 2000);
        var rows = series.Select(v => new[] { v }).ToArray();
        var report = Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = bits }).Report;
        output.WriteLine(report.ToJson());
        Assert.NotNull(report.RmseFixed);
        // The fit must be a real forecaster (near the 0.1 noise floor), else the bar means nothing.
        Assert.True(report.RmseFloat < 0.15, $"float model too weak: rmse {report.RmseFloat}");
        Assert.True(report.RmseFixed <= (bits == 16 ? 1.01 : 1.05) * report.RmseFloat,
            $"int{bits}: rmse_fixed {report.RmseFixed} vs rmse_float {report.RmseFloat}");
    }

    [Theory]
    [InlineData(CellType.Rnn)]
    [InlineData(CellType.Lstm)]
    [InlineData(CellType.Gru)]
    public void Noisy_sine_model_trained_by_the_trainer_keeps_its_accuracy_at_int16_and_int8(CellType cell)
    {
        string dir = TestPaths.NewTempDir();
        string csv = Path.Combine(dir, "sine.csv");
        var series = ForecastFits.NoisySine(2000, noise: 0.1, seed: 11);
        File.WriteAllLines(csv, new[] { "value" }.Concat(series.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        var data = CsvSeries.Load(csv, ["value"], ["value"]);
        var options = new TrainOptions { Cell = cell, Hidden = 16, Window = 32, Stride = 4, Epochs = 4, Seed = 1, Patience = 0 };
        var trained = TrainingLoop.Run(new ForecastTask(data, options), options).Model;
        var calibration = CalibrationData.Load(trained, csv);
        foreach (int bits in new[] { 16, 8 })
        {
            var report = Quantizer.Quantize(trained, calibration.Rows, new QuantizeOptions { Bits = bits, Targets = calibration.Targets }).Report;
            output.WriteLine(report.ToJson());
            Assert.True(report.RmseFloat < 0.2, $"trained model too weak: rmse {report.RmseFloat}");
            Assert.True(report.RmseFixed <= (bits == 16 ? 1.01 : 1.05) * report.RmseFloat,
                $"int{bits}: rmse_fixed {report.RmseFixed} vs rmse_float {report.RmseFloat}");
        }
    }

    [SkippableTheory]
    [InlineData(CellType.Lstm, 16)]
    [InlineData(CellType.Lstm, 8)]
    [InlineData(CellType.Gru, 16)]
    [InlineData(CellType.Gru, 8)]
    public void Nab_series_forecast_keeps_its_accuracy_after_quantisation(CellType cell, int bits)
    {
        string? path = TestPaths.SharedFile("nab", "realKnownCause", "nyc_taxi.csv");
        Skip.If(path is null, "../shared/data/nab is not present");
        var csv = CsvSeries.Load(path, ["value"], ["value"], "timestamp");
        var series = csv.Features.Select(r => r[0]).ToArray();
        var model = ForecastFits.Fit(cell, series, hidden: 24, seed: 3, fitRows: series.Length * 7 / 10);
        var report = Quantizer.Quantize(model, csv.Features, new QuantizeOptions { Bits = bits }).Report;
        output.WriteLine(report.ToJson());
        Assert.True(report.RmseFixed <= (bits == 16 ? 1.01 : 1.05) * report.RmseFloat,
            $"int{bits}: rmse_fixed {report.RmseFixed} vs rmse_float {report.RmseFloat}");
    }
}
