using Embedded.Edge.Engine;
using Embedded.Edge.Tests.Support;
using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;

namespace Embedded.Edge.Tests.Engine;

public class ModelScoringEngineTests
{
    [Fact]
    public void ForecastsEqualThePortablePredictorStepByStep()
    {
        byte[] image = TestModels.Forecaster();
        ModelScoringEngine engine = ModelScoringEngine.Load(image, "test.bin");
        ModelImage model = ModelImage.Parse(image);
        var reference = new Predictor(model);
        var output = new int[1];
        int[]? previous = null;
        for (int t = 0; t < 50; t++)
        {
            double value = Math.Sin(t * 0.3);
            StepResult r = engine.Step([value]);
            Assert.Equal(previous is not null, r.HasForecast);
            if (previous is not null)
            {
                Assert.Equal(previous[0], r.ForecastFixed[0]);
                Assert.Equal(FixedIo.ToDouble(previous[0], model.OutputFracBits), r.Forecast[0]);
            }
            else
            {
                // No forecast yet: the sample stands in (as the device's integers, rescaled to the output's fraction bits), as in detect.
                int standIn = StreamMonitor.Rescale(StreamMonitor.ToSample(value, model.InputFracBits), model.OutputFracBits - model.InputFracBits);
                Assert.Equal(standIn, r.ForecastFixed[0]);
                Assert.Equal(FixedIo.ToDouble(standIn, model.OutputFracBits), r.Forecast[0]);
            }

            reference.Step([FixedIo.ToFixed(value, model.InputFracBits)], output);
            previous = (int[])output.Clone();
        }
    }

    [Fact]
    public void ResetForgetsTheHistory()
    {
        ModelScoringEngine engine = ModelScoringEngine.Load(TestModels.Forecaster(), "test.bin");
        var first = new List<int>();
        for (int t = 0; t < 10; t++) first.Add(engine.Step([t * 0.1]).ForecastFixed[0]);
        engine.Reset();
        for (int t = 0; t < 10; t++)
        {
            StepResult r = engine.Step([t * 0.1]);
            Assert.Equal(t > 0, r.HasForecast);
            if (t > 0) Assert.Equal(first[t], r.ForecastFixed[0]);
        }
    }

    [Fact]
    public void MissingValueIsBridgedAndNeverScoredAsAnomaly()
    {
        ModelScoringEngine engine = ModelScoringEngine.Load(TestModels.Forecaster(), "test.bin");
        for (int t = 0; t < 20; t++) engine.Step([Math.Sin(t * 0.2)]);
        StepResult r = engine.Step([double.NaN]);
        Assert.True(r.HasForecast);
        Assert.False(r.IsAnomaly);
        Assert.True(double.IsFinite(engine.Step([0.5]).Forecast[0]));
    }

    [Fact]
    public void CorruptImageIsRejectedNamingTheFile()
    {
        byte[] image = TestModels.Forecaster();
        image[image.Length / 2] ^= 0x5A;
        var error = Assert.Throws<ModelRejectedException>(() => ModelScoringEngine.Load(image, "flipped.bin"));
        Assert.Contains("flipped.bin", error.Message);
    }

    [Fact]
    public void TruncatedImageIsRejected()
    {
        byte[] image = TestModels.Forecaster();
        Assert.Throws<ModelRejectedException>(() => ModelScoringEngine.Load(image.AsSpan(0, image.Length - 7).ToArray(), "half.bin"));
        Assert.Throws<ModelRejectedException>(() => ModelScoringEngine.Load([], "empty.bin"));
    }

    [Fact]
    public void DescriptionNamesShapeAndCrc()
    {
        ModelScoringEngine engine = ModelScoringEngine.Load(TestModels.Forecaster(inputs: 2), "test.bin");
        Assert.Equal(2, engine.InputCount);
        Assert.Contains("crc 0x", engine.Description);
        Assert.Contains("2->2", engine.Description);
    }

    [Theory]
    [InlineData(1, 1, 2, "watches 2 channel(s) but the model forecasts 1")]
    [InlineData(1, 2, 2, "forecasts 2 values from 1 input(s)")]
    public void ModelWhoseShapeTheDetectorCannotWatchIsRejectedAtLoad(int inputs, int outputs, int channels, string reason)
    {
        byte[] image = TestModels.WithDetectorChannels(inputs, outputs, channels);
        var error = Assert.Throws<ModelRejectedException>(() => ModelScoringEngine.Load(image, "shape.bin"));
        Assert.Contains("shape.bin", error.Message);
        Assert.Contains(reason, error.Message);
    }
}
