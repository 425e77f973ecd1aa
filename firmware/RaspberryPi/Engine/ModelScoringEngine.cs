using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Detection;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;

namespace Embedded.Edge.Engine;

/// <summary>
/// The fixed-point runtime and detector behind <see cref="IScoringEngine"/>: the shared per-sample
/// protocol (<see cref="StreamMonitor"/>), exactly as `detect` and the firmware run it. Values go in
/// through <see cref="StreamMonitor.ToSample"/> with the model's input fraction bits (NaN: missing);
/// forecasts come out through <see cref="FixedIo.ToDouble"/>. Arrays are allocated once; a step allocates nothing.
/// </summary>
public sealed class ModelScoringEngine : IScoringEngine
{
    private readonly StreamMonitor _monitor;
    private readonly int[] _sample;
    private readonly double[] _forecast;

    private ModelScoringEngine(ModelImage model, IKernel kernel, DetectorSettings? settings)
    {
        Model = model;
        Kernel = kernel;
        _monitor = new StreamMonitor(model, kernel, (settings ?? new DetectorSettings()).CreateDetector(model));
        _sample = new int[model.InputCount];
        _forecast = new double[model.OutputCount];
    }

    public ModelImage Model { get; }

    /// <summary>The matrix-vector kernel (the vectorised one by default; bit-exact with the portable one).</summary>
    public IKernel Kernel { get; }

    public int InputCount => Model.InputCount;

    public int OutputCount => Model.OutputCount;

    public string Description =>
        $"{Model.Cell} {Model.InputCount}->{Model.OutputCount}, {Model.LayerCount}x{Model.HiddenSize}, int{Model.WeightBits}, " +
        $"{Model.Length} bytes, crc 0x{Model.Crc:X8}, " + DescribeDetector(_monitor.Detector);

    /// <summary>The detector's settings as a user tunes them (threshold in decades, hold-off, warm-up, state hold).</summary>
    private static string DescribeDetector(AnomalyDetector? detector)
    {
        if (detector is null) return "no detector";
        var p = detector.Parameters;
        double decades = p.Threshold * (double)p.ScoreDecades / AnomalyDetector.ScoreOne;
        double sensitivity = (p.Threshold - p.PerTrackerRaise()) * (double)p.ScoreDecades / AnomalyDetector.ScoreOne;
        return $"detector: sensitivity {sensitivity:0.##} decades (threshold {decades:0.##} with {p.ErrorTrackers()} error trackers), hold-off {p.HoldOffSamples}, warm-up {p.WarmupSamples}, " +
            (p.StateHoldSamples == 0 ? "no state (anomaly = alarm)" : $"state hold {p.StateHoldSamples}") + $", {p.Channels} channel(s)";
    }

    /// <summary>
    /// Parses and validates a model image: structure and CRC (ModelImage.Parse), a forecasting task,
    /// and zero golden-vector mismatches on this machine. Anything else is a <see cref="ModelRejectedException"/>.
    /// </summary>
    public static ModelScoringEngine Load(byte[] image, string source, IKernel? kernel = null, DetectorSettings? settings = null)
    {
        kernel ??= AcceleratedKernel.Instance;
        ModelImage model;
        try
        {
            model = ModelImage.Parse(image);
        }
        catch (ModelFormatException e)
        {
            throw new ModelRejectedException($"{source}: invalid model: {e.Message}", e);
        }

        if (model.Task != TaskKind.Forecast)
            throw new ModelRejectedException($"{source}: the edge app runs forecasting models; this one is {model.Task}.");
        int mismatches = Predictor.CountGoldenMismatches(model, kernel);
        if (mismatches != 0)
            throw new ModelRejectedException($"{source}: golden-vector self-test failed ({mismatches} mismatching outputs of {model.GoldenVectorCount} vectors).");
        try
        {
            return new ModelScoringEngine(model, kernel, settings);
        }
        catch (ModelFormatException e)
        {
            throw new ModelRejectedException($"{source}: invalid detector section: {e.Message}", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new ModelRejectedException($"{source}: cannot watch this model: {e.Message}", e);
        }
    }

    public StepResult Step(double[] values)
    {
        if (values.Length != _sample.Length)
            throw new ArgumentException($"sample has {values.Length} values, the model takes {_sample.Length}.", nameof(values));
        int inFrac = Model.InputFracBits, outFrac = Model.OutputFracBits;
        for (int i = 0; i < _sample.Length; i++) _sample[i] = StreamMonitor.ToSample(values[i], inFrac);
        int score = _monitor.Step(_sample);
        int[] reported = _monitor.Forecast;
        for (int i = 0; i < _forecast.Length; i++) _forecast[i] = FixedIo.ToDouble(reported[i], outFrac);
        int leading = _monitor.Detector is null ? -1 : _monitor.Detector.LeadingTracker;
        return new StepResult(_monitor.HasForecast, _forecast, reported, score / (double)AnomalyDetector.ScoreOne, score, _monitor.IsAnomaly, _monitor.IsAlarm, _monitor.IsOutOfRange, leading);
    }

    public void Reset() => _monitor.Reset();
}
