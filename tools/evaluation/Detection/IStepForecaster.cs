namespace Embedded.Evaluation.Detection;

/// <summary>
/// A one-step-ahead forecaster in the runtime's fixed-point units: the portable Predictor in the product,
/// simple stand-ins in tests. Step consumes the row's inputs and writes the forecast of the next row.
/// </summary>
public interface IStepForecaster
{
    int InputCount { get; }
    int OutputCount { get; }
    int InputFracBits { get; }
    int OutputFracBits { get; }
    void Reset();
    void Step(int[] input, int[] output);
}
