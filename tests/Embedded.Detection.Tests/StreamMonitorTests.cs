using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Quantization;

namespace Embedded.Detection.Tests;

/// <summary>The per-sample protocol every host runs (shared/Detection/StreamMonitor.cs).</summary>
public class StreamMonitorTests
{
    private const int Missing = StreamMonitor.Missing;
    private static readonly Dictionary<(int, int), byte[]> Cache = new();

    /// <summary>A quantized random forecaster (calibrated detector) on a noisy sine with a spike now and then.</summary>
    private static ModelImage Forecaster(int inputs = 1, int outputs = 1)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue((inputs, outputs), out var image))
            {
                var model = RandomFloatModel.Create(CellType.Gru, inputs, hidden: 8, layers: 1, outputs: outputs, seed: 3);
                image = Quantizer.Quantize(model, Rows(inputs, 400)).Image;
                Cache[(inputs, outputs)] = image;
            }
            return ModelImage.Parse(image);
        }
    }

    private static double[][] Rows(int inputs, int count)
    {
        var rows = new double[count][];
        for (int t = 0; t < count; t++)
        {
            rows[t] = new double[inputs];
            for (int i = 0; i < inputs; i++) rows[t][i] = Math.Sin(t * 0.2 + i) + 0.05 * Math.Cos(t * 1.7) + (t % 151 == 150 ? 3 : 0);
        }
        return rows;
    }

    private static int[][] Samples(ModelImage model, int count)
    {
        var rows = Rows(model.InputCount, count);
        return rows.Select(r => r.Select(v => StreamMonitor.ToSample(v, model.InputFracBits)).ToArray()).ToArray();
    }

    /// <summary>The protocol written out by hand: what the monitor must compute (no missing values).</summary>
    [Fact]
    public void ScoresAndForecastsEqualPredictorAndDetectorSteppedByHand()
    {
        var model = Forecaster(inputs: 2, outputs: 2);
        Assert.NotEmpty(model.DetectorSection);
        var monitor = new StreamMonitor(model);
        Assert.NotNull(monitor.Detector);
        var predictor = new Predictor(model);
        var detector = new AnomalyDetector(model);
        int shift = model.OutputFracBits - model.InputFracBits;
        var forecast = new int[2];
        var next = new int[2];
        var actual = new int[2];
        int flagged = 0;
        foreach (var sample in Samples(model, 1200))
        {
            int score = monitor.Step(sample);
            if (monitor.HasForecast)
            {
                for (int i = 0; i < 2; i++) actual[i] = shift >= 0 ? sample[i] << shift : (int)(((long)sample[i] + (1L << (-shift - 1))) >> -shift);
                Assert.Equal(detector.Update(actual, forecast), score);
                Assert.Equal(detector.IsAnomaly, monitor.IsAnomaly);
                Assert.Equal(detector.IsAlarm, monitor.IsAlarm);
                Assert.Equal(forecast, monitor.Forecast);
                if (monitor.IsAnomaly || monitor.IsAlarm) flagged++;
            }
            predictor.Step(sample, next);
            Assert.Equal(next, monitor.NextForecast);
            Assert.Equal(sample, monitor.Input);
            Array.Copy(next, forecast, 2);
        }
        Assert.True(flagged > 0, "the spikes should be flagged at least once");
    }

    [Fact]
    public void FirstSampleIsNotScoredAndStandsInForItsOwnForecast()
    {
        var model = Forecaster();
        var monitor = new StreamMonitor(model);
        int sample = StreamMonitor.ToSample(0.75, model.InputFracBits);
        Assert.Equal(0, monitor.Step([sample]));
        Assert.False(monitor.HasForecast);
        Assert.False(monitor.IsAnomaly);
        Assert.False(monitor.IsAlarm);
        Assert.Equal(StreamMonitor.Rescale(sample, model.OutputFracBits - model.InputFracBits), monitor.Forecast[0]);
        var expected = new int[1];
        new Predictor(model).Step([sample], expected);
        Assert.Equal(expected[0], monitor.NextForecast[0]);

        monitor.Step([sample]);
        Assert.True(monitor.HasForecast);
        Assert.Equal(expected[0], monitor.Forecast[0]);
    }

    [Fact]
    public void AMissingValueIsBridgedByTheForecastMadeForItAndNotScored()
    {
        var model = Forecaster();
        var monitor = new StreamMonitor(model);
        var reference = new AnomalyDetector(model);
        var samples = Samples(model, 300);
        int shift = model.OutputFracBits - model.InputFracBits;
        for (int t = 0; t < 200; t++)
        {
            if (t > 0) reference.Update([StreamMonitor.Rescale(samples[t][0], shift)], [monitor.NextForecast[0]]);
            monitor.Step(samples[t]);
        }
        int pending = monitor.NextForecast[0];
        Assert.Equal(reference.Update([Missing], [pending]), monitor.Step([Missing]));
        Assert.Equal(0, monitor.Score);
        Assert.False(monitor.IsAlarm);
        Assert.Equal(StreamMonitor.Rescale(pending, -shift), monitor.Input[0]);
        Assert.Equal(pending, monitor.Forecast[0]);

        // A second missing value in a row: bridged by the forecast made from the bridged one.
        pending = monitor.NextForecast[0];
        monitor.Step([Missing]);
        Assert.Equal(StreamMonitor.Rescale(pending, -shift), monitor.Input[0]);
    }

    [Fact]
    public void MissingBeforeAnyForecastOrOutsideTheTargetsTakesTheLastValueSeen()
    {
        var model = Forecaster(inputs: 2, outputs: 1);
        var monitor = new StreamMonitor(model);
        Assert.Equal(0, monitor.Step([Missing, Missing])); // nothing seen yet: 0
        Assert.Equal(new[] { 0, 0 }, monitor.Input);
        Assert.Equal(0, monitor.Forecast[0]);

        monitor.Reset();
        monitor.Step([100, 200]);
        monitor.Step([Missing, Missing]);
        int forecastIn = StreamMonitor.Rescale(monitor.Forecast[0], model.InputFracBits - model.OutputFracBits);
        Assert.Equal(new[] { forecastIn, 200 }, monitor.Input); // the target from the forecast, the other input from the last value
        monitor.Step([Missing, 300]);
        monitor.Step([Missing, Missing]);
        Assert.Equal(300, monitor.Input[1]);
    }

    [Fact]
    public void ResetForgetsEverything()
    {
        var model = Forecaster(inputs: 2, outputs: 2);
        var monitor = new StreamMonitor(model);
        var samples = Samples(model, 800);
        samples[5][1] = Missing;
        var first = Run(monitor, samples);
        monitor.Reset();
        Assert.False(monitor.HasForecast);
        Assert.Equal(new int[2], monitor.NextForecast);
        Assert.Equal(first, Run(monitor, samples));
        Assert.Equal(first, Run(new StreamMonitor(model), samples));
    }

    private static List<string> Run(StreamMonitor monitor, int[][] samples) =>
        samples.Select(s =>
        {
            int score = monitor.Step(s);
            return $"{monitor.HasForecast} {score} {monitor.IsAnomaly} {monitor.IsAlarm} {string.Join(",", monitor.Forecast)} {string.Join(",", monitor.NextForecast)}";
        }).ToList();

    [Fact]
    public void RealValuesSaturateOneShortOfMissing()
    {
        Assert.Equal(Missing, StreamMonitor.ToSample(double.NaN, 10));
        Assert.Equal(Missing + 1, StreamMonitor.ToSample(-1e30, 10));
        Assert.Equal(Missing + 1, StreamMonitor.ToSample(double.NegativeInfinity, 10));
        Assert.Equal(int.MaxValue, StreamMonitor.ToSample(1e30, 10));
        Assert.Equal(FixedIo.ToFixed(1.25, 12), StreamMonitor.ToSample(1.25, 12));
        Assert.Equal(Missing + 1, StreamMonitor.Rescale(Missing + 1, 4));
        Assert.Equal(Missing + 1, StreamMonitor.Rescale(Missing + 1, 0));
        Assert.Equal(int.MaxValue, StreamMonitor.Rescale(int.MaxValue / 2 + 1, 1));
        Assert.Equal(3, StreamMonitor.Rescale(5, -1)); // 2.5 rounds up
        Assert.Equal(-2, StreamMonitor.Rescale(-5, -1)); // -2.5 rounds up
        Assert.Equal(128, StreamMonitor.Rescale(int.MaxValue, -24)); // (2^31 - 1) / 2^24, nearest

        // A saturated real value is scored as a value (a huge error), never skipped as missing.
        var model = Forecaster();
        var monitor = new StreamMonitor(model);
        var samples = Samples(model, 700);
        foreach (var s in samples) monitor.Step(s);
        monitor.Step([Missing + 1]);
        Assert.True(monitor.Score > 0 || monitor.IsAnomaly, "a saturated value is an anomaly, not a gap");
    }

    [Fact]
    public void ShapesTheDetectorCannotWatchAreRefusedAtConstruction()
    {
        var model = Forecaster(); // 1 -> 1
        var twoChannels = new AnomalyDetector(DetectorParameters.CreateDefault(2, model.OutputFracBits));
        var e = Assert.Throws<ArgumentException>(() => new StreamMonitor(model, PortableKernel.Instance, twoChannels));
        Assert.Contains("watches 2 channel(s) but the model forecasts 1", e.Message);

        var wide = Forecaster(inputs: 1, outputs: 2); // more forecasts than inputs
        var detector = new AnomalyDetector(DetectorParameters.CreateDefault(2, wide.OutputFracBits));
        e = Assert.Throws<ArgumentException>(() => new StreamMonitor(wide, PortableKernel.Instance, detector));
        Assert.Contains("forecasts 2 values from 1 input(s)", e.Message);

        var classifier = ModelImage.Parse(Quantizer.Quantize(
            RandomFloatModel.Create(CellType.Rnn, 2, hidden: 4, layers: 1, outputs: 2, seed: 5, task: TaskKind.Classify), Rows(2, 50)).Image);
        e = Assert.Throws<ArgumentException>(() => new StreamMonitor(classifier, PortableKernel.Instance,
            new AnomalyDetector(DetectorParameters.CreateDefault(2, classifier.OutputFracBits))));
        Assert.Contains("forecasting model", e.Message);

        // Without a detector every shape just forecasts; a classifier carries none.
        Assert.Null(new StreamMonitor(classifier).Detector);
        var plain = new StreamMonitor(wide, PortableKernel.Instance, null);
        Assert.Equal(0, plain.Step([Missing]));
        Assert.Equal(0, plain.Step([5]));
    }

    [Fact]
    public void StepAllocatesNothing()
    {
        var model = Forecaster(inputs: 2, outputs: 2);
        var monitor = new StreamMonitor(model);
        var samples = Samples(model, 2000);
        for (int t = 0; t < samples.Length; t += 7) samples[t][t % 2] = Missing;
        monitor.Step(samples[0]);
        Assert.Equal(0, Allocations.Least(() =>
        {
            for (int t = 1; t < samples.Length; t++) monitor.Step(samples[t]);
        }));
    }

    /// <summary>A model fed another sensor's values (far beyond what it was calibrated on) is counted, not silent.</summary>
    [Fact]
    public void SamplesFarBeyondTheCalibratedValuesAreCounted()
    {
        var model = Forecaster();   // calibrated on values in about [-1, 4]
        var monitor = new StreamMonitor(model);
        foreach (var sample in Samples(model, 300)) monitor.Step(sample);
        Assert.Equal(0, monitor.OutOfRangeSamples);
        for (int t = 0; t < 20; t++) monitor.Step([StreamMonitor.ToSample(2940, model.InputFracBits)]);
        Assert.True(monitor.IsOutOfRange);
        Assert.Equal(20, monitor.OutOfRangeSamples);
        monitor.Step([Missing]);    // a missing value is not judged
        Assert.False(monitor.IsOutOfRange);
        monitor.Reset();
        Assert.Equal(0, monitor.OutOfRangeSamples);
    }
}
