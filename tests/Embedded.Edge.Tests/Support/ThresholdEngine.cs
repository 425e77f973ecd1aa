using Embedded.Edge.Engine;

namespace Embedded.Edge.Tests.Support;

/// <summary>
/// A stand-in engine for loop and action tests: forecasts the last value and flags an anomaly whenever
/// the first channel exceeds a threshold (the "injected anomaly").
/// </summary>
internal sealed class ThresholdEngine : IScoringEngine
{
    private readonly double _threshold;
    private readonly double[] _forecast;
    private readonly int[] _fixed;
    private bool _has;

    public ThresholdEngine(int inputs = 1, double threshold = 100, string name = "threshold")
    {
        InputCount = inputs;
        _threshold = threshold;
        _forecast = new double[inputs];
        _fixed = new int[inputs];
        Description = name;
    }

    public int InputCount { get; }
    public int OutputCount => InputCount;
    public string Description { get; }
    public int Steps { get; private set; }

    public StepResult Step(double[] values)
    {
        Steps++;
        bool had = _has;
        bool anomaly = values[0] > _threshold;
        var result = new StepResult(had, (double[])_forecast.Clone(), _fixed, anomaly ? 1.0 : 0.0, anomaly ? 65536 : 0, anomaly, anomaly);
        Array.Copy(values, _forecast, values.Length);
        _has = true;
        return result;
    }

    public void Reset() => _has = false;
}
