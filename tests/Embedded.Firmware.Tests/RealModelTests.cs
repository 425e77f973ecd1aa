using Embedded.Firmware;
using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Fixed;
using Embedded.Trainer.Quantization;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;

namespace Embedded.Firmware.Tests;

/// <summary>The production validator and runner on real quantised models (the device's self-test and loop).</summary>
public sealed class RealModelTests
{
    [Theory]
    [InlineData(CellType.Rnn, 8)]
    [InlineData(CellType.Lstm, 16)]
    [InlineData(CellType.Gru, 8)]
    public void Golden_vector_validator_accepts_real_models_and_refuses_any_corrupted_byte(CellType cell, int bits)
    {
        var image = RealModels.Forecaster(inputs: 2, hidden: 8, cell: cell, bits: bits);
        var validator = new GoldenVectorValidator();
        Assert.Null(validator.Validate(image));
        for (int i = 0; i < image.Length; i += 37)
        {
            var corrupt = (byte[])image.Clone();
            corrupt[i] ^= 0x08;
            Assert.NotNull(validator.Validate(corrupt));
        }
        Assert.NotNull(validator.Validate(image.AsSpan(0, image.Length - 1).ToArray()));
        Assert.NotNull(validator.Validate(new byte[0]));
    }

    [Fact]
    public void Validator_refuses_a_model_whose_detector_does_not_fit_it()
    {
        // A 1 -> 1 forecaster whose detector section watches 2 channels passes the CRC and its golden
        // vectors but would throw on its first sample: the device refuses it and keeps the installed model.
        var floatModel = RandomFloatModel.Create(CellType.Gru, 1, 4, 1, 1, 5);
        var parsed = ModelImage.Parse(RealModels.Forecaster(inputs: 1));
        var content = Quantizer.BuildContent(floatModel, 16, parsed.InputFracBits, parsed.OutputFracBits, parsed.NormalisedFracBits);
        content.DetectorSection = Embedded.Shared.Detection.DetectorParameters.CreateDefault(2, parsed.OutputFracBits).ToBytes();
        string? verdict = new GoldenVectorValidator().Validate(ModelWriter.Write(content));
        Assert.NotNull(verdict);
        Assert.StartsWith("detector: ", verdict);
        content.DetectorSection = Embedded.Shared.Detection.DetectorParameters.CreateDefault(1, parsed.OutputFracBits).ToBytes();
        Assert.Null(new GoldenVectorValidator().Validate(ModelWriter.Write(content)));
    }

    [Fact]
    public void Runner_forecasts_exactly_what_the_predictor_computes_and_allocates_nothing_per_step()
    {
        var image = RealModels.Forecaster(inputs: 1, hidden: 16, cell: CellType.Lstm);
        var model = ModelImage.Parse(image);
        var runner = new ModelRunnerFactory().Create(image);
        var reference = new Predictor(model);
        var input = new int[1];
        var expected = new int[model.OutputCount];
        Assert.True(runner.RunsOnSensors);
        for (int t = 0; t < 50; t++)
        {
            input[0] = (int)(Math.Sin(t * 0.3) * (1 << model.InputFracBits));
            runner.Process(input);
            reference.Step(input, expected);
            Assert.Equal(expected[0], runner.LastForecast);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 200; t++)
        {
            input[0] = (int)(Math.Sin(t * 0.3) * (1 << model.InputFracBits));
            runner.Process(input);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Firmware_boots_a_real_stored_model_and_runs_predictor_and_detector_on_every_sample()
    {
        // Random weights: this checks the plumbing (boot, self-test, fixed-point input, step, detector, status);
        // detection quality on a trained model is DefaultModelTests' job.
        var image = RealModels.Forecaster(inputs: 1, hidden: 8, cell: CellType.Gru);
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, image);
        var adc = new FakeAdc(i => i >= 300 && i < 310 ? 4095 : 372 + (int)(100 * Math.Sin(i * 0.2)));
        var rig = new AppRig(files, null, adc: adc, validator: new GoldenVectorValidator(), factory: new ModelRunnerFactory(),
            config: new FirmwareConfig { StatusEverySamples = 50, DefaultSamplePeriodMs = 10 });
        rig.App.Boot();
        Assert.Equal("flash", rig.App.ModelSource);
        Assert.True(rig.App.ModelRunsOnSensors);
        rig.RunFor(4000);
        Assert.Equal(400, rig.App.Samples);
        Assert.Equal(0, rig.App.StepErrors);
        Assert.Equal(0, rig.App.SensorErrors);
        Assert.Equal(rig.App.Anomalies > 0, rig.Led.Changes.Contains(true));
        var status = rig.Lines().Where(l => l.StartsWith("S ")).ToList();
        Assert.Equal(8, status.Count);
        Assert.StartsWith("S n=50 x=0.", status[0]);
    }

    [Fact]
    public void Model_with_a_different_input_count_is_loaded_but_not_stepped_on_mismatched_sensors()
    {
        var image = RealModels.Forecaster(inputs: 3, hidden: 8);
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, image);
        var rig = new AppRig(files, null, validator: new GoldenVectorValidator(), factory: new ModelRunnerFactory());
        rig.App.Boot();
        Assert.True(rig.App.HasModel);
        Assert.False(rig.App.ModelRunsOnSensors);
        Assert.Contains(rig.Lines(), l => l.StartsWith("WARN model expects 3 numeric inputs, sensors give 1"));
        rig.RunFor(500);
        Assert.Equal(0, rig.App.Samples);
        Assert.Equal(0, rig.App.StepErrors);
    }

    [Fact]
    public void Runner_scores_a_stream_with_gaps_exactly_as_detect_does()
    {
        // Same per-sample protocol (shared StreamMonitor) on both sides: sensor values go in as the
        // device's integers, a NaN is missing and is bridged by the forecast made for it.
        var image = RealModels.Forecaster(inputs: 2, hidden: 8, cell: CellType.Lstm);
        var model = ModelImage.Parse(image);
        string path = Path.Combine(Path.GetTempPath(), $"runner-gaps-{Guid.NewGuid():N}.csv");
        var rows = new double[600][];
        var csv = new System.Text.StringBuilder("a,b\n");
        for (int t = 0; t < rows.Length; t++)
        {
            rows[t] = [t % 41 == 7 ? double.NaN : Math.Sin(t * 0.2) + (t == 450 ? 6 : 0), t % 53 == 9 ? double.NaN : Math.Cos(t * 0.3)];
            csv.Append(string.Join(",", rows[t].Select(v => double.IsNaN(v) ? "" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).Append('\n');
        }
        File.WriteAllText(path, csv.ToString());
        Embedded.Evaluation.Detection.ScoredStream detect;
        try { detect = Embedded.Evaluation.Detection.DetectPipeline.Score(Embedded.Evaluation.Data.TimeSeriesCsv.Read(path), model); }
        finally { File.Delete(path); }

        var runner = (ModelRunner)new ModelRunnerFactory().Create(image);
        Assert.True(runner.HasDetector);
        var input = new int[2];
        for (int t = 0; t < rows.Length; t++)
        {
            for (int i = 0; i < 2; i++) input[i] = StreamMonitor.ToSample(rows[t][i], runner.InputFracBits);
            int score = runner.Process(input);
            Assert.Equal(detect.Scores[t], score / (double)AnomalyDetector.ScoreOne);
            Assert.Equal(detect.Anomalies[t], runner.IsAnomaly);
            Assert.Equal(detect.Alarms[t], runner.IsAlarm);
            if (t + 1 < rows.Length) Assert.Equal(detect.Predictions[t + 1][0], FixedIo.ToDouble(runner.LastForecast, runner.OutputFracBits));
        }
    }

    [Fact]
    public void Model_whose_detector_does_not_fit_its_shape_still_forecasts_without_detector()
    {
        // One output, a detector section watching two channels: refused by the detector, not by the firmware.
        var parsed = ModelImage.Parse(RealModels.Forecaster(inputs: 1, hidden: 8));
        var floatModel = RandomFloatModel.Create(CellType.Gru, 1, hidden: 8, layers: 1, outputs: 1, seed: 1);
        var content = Quantizer.BuildContent(floatModel, 16, parsed.InputFracBits, parsed.OutputFracBits, parsed.NormalisedFracBits);
        content.DetectorSection = DetectorParameters.CreateDefault(2, parsed.OutputFracBits).ToBytes();
        var image = ModelWriter.Write(content);
        var model = ModelImage.Parse(image);
        Assert.Throws<ArgumentException>(() => new StreamMonitor(model));

        var runner = (ModelRunner)new ModelRunnerFactory().Create(image);
        Assert.False(runner.HasDetector);
        var reference = new Predictor(model);
        var expected = new int[1];
        for (int t = 0; t < 100; t++)
        {
            int x = (int)(Math.Sin(t * 0.3) * (1 << model.InputFracBits));
            Assert.Equal(0, runner.Process([x]));
            Assert.False(runner.IsAnomaly);
            reference.Step([x], expected);
            Assert.Equal(expected[0], runner.LastForecast);
        }
    }
}

/// <summary>The model compiled into the firmware, on the signal it was trained for.</summary>
public sealed class DefaultModelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Fresh_device_boots_the_compiled_in_model_tracks_its_signal_and_flags_a_glitch()
    {
        // The default model's training signal (firmware/NanoFramework/DefaultModel/make_signal.py), without noise,
        // as 12-bit ADC counts; samples 600..604 read 0 V (a loose wire).
        int Counts(int i)
        {
            if (i >= 600 && i < 605) return 0;
            double t = i * 0.1;
            double volts = 1.65 + (0.45 + 0.15 * Math.Sin(2 * Math.PI * t / 40)) * Math.Sin(2 * Math.PI * t / 5);
            return (int)Math.Round(volts / 3.3 * 4095);
        }
        var rig = new AppRig(new MemoryFileStore(), new DefaultModel().Load(), adc: new FakeAdc(i => Counts(i)),
            validator: new GoldenVectorValidator(), factory: new ModelRunnerFactory(), config: new FirmwareConfig { StatusEverySamples = 100 });
        rig.App.Boot();
        Assert.Equal("embedded", rig.App.ModelSource);
        Assert.Equal(100, rig.App.SamplePeriodMs);
        Assert.Contains(rig.Lines(), l => l.StartsWith("MODEL embedded crc=" + FixedFormat.Hex32(DefaultModelData.Crc) + " bytes=" + DefaultModelData.Image.Length));
        rig.RunFor(60_000);
        Assert.Equal(600, rig.App.Samples);
        int beforeGlitch = rig.App.Anomalies;
        rig.RunFor(2_000);
        foreach (var line in rig.Lines().Take(12)) output.WriteLine(line);
        Assert.True(rig.App.Anomalies > beforeGlitch, "the 0 V glitch is flagged");
        Assert.True(beforeGlitch <= 6, $"the clean signal raised {beforeGlitch} anomalies");
    }
}
