using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Evaluation.Detection;

/// <summary>The portable fixed-point <see cref="Predictor"/> as a forecaster: the exact on-device path.</summary>
public sealed class PredictorForecaster(ModelImage model) : IStepForecaster
{
    private readonly Predictor _predictor = new(model);

    public ModelImage Model => model;
    public int InputCount => model.InputCount;
    public int OutputCount => model.OutputCount;
    public int InputFracBits => model.InputFracBits;
    public int OutputFracBits => model.OutputFracBits;
    public void Reset() => _predictor.Reset();
    public void Step(int[] input, int[] output) => _predictor.Step(input, output);
}
