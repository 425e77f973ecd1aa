using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Detection;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;

namespace Embedded.Edge.Engine;

/// <summary>
/// The fixed-point runtime and detector behind <see cref="IScoringEngine"/>: values go in through
/// <see cref="FixedIo.ToFixed"/> with the model's input fraction bits, the detector compares the
/// actual target values (output fraction bits) with the forecast the predictor made one step earlier.
/// Arrays are allocated once; a step allocates nothing.
/// </summary>
public sealed class ModelScoringEngine : IScoringEngine
{
    private readonly Predictor _predictor;
    private readonly AnomalyDetector? _detector;
    private readonly int[] _input;
    private readonly int[] _actual;
    private int[] _pending;
    private int[] _next;
    private readonly double[] _forecast;
    private readonly double[] _lastSeen;
    private bool _hasPending;

    private ModelScoringEngine(ModelImage model, IKernel kernel)
    {
        Model = model;
        Kernel = kernel;
        _predictor = new Predictor(model, kernel);
        _detector = model.DetectorSection.Length == 0 ? null : new AnomalyDetector(model);
        _input = new int[model.InputCount];
        _actual = new int[model.OutputCount];
        _pending = new int[model.OutputCount];
        _next = new int[model.OutputCount];
        _forecast = new double[model.OutputCount];
        _lastSeen = new double[model.InputCount];
    }

    public ModelImage Model { get; }

    /// <summary>The matrix-vector kernel (the vectorised one by default; bit-exact with the portable one).</summary>
    public IKernel Kernel { get; }

    public int InputCount => Model.InputCount;

    public int OutputCount => Model.OutputCount;

    public string Description =>
        $"{Model.Cell} {Model.InputCount}->{Model.OutputCount}, {Model.LayerCount}x{Model.HiddenSize}, int{Model.WeightBits}, " +
        $"{Model.Length} bytes, crc 0x{Model.Crc:X8}{(_detector is null ? ", no detector" : "")}";

    /// <summary>
    /// Parses and validates a model image: structure and CRC (ModelImage.Parse), a forecasting task,
    /// and zero golden-vector mismatches on this machine. Anything else is a <see cref="ModelRejectedException"/>.
    /// </summary>
    public static ModelScoringEngine Load(byte[] image, string source, IKernel? kernel = null)
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
            return new ModelScoringEngine(model, kernel);
        }
        catch (Exception e) when (e is ModelFormatException or ArgumentException or InvalidOperationException)
        {
            throw new ModelRejectedException($"{source}: invalid detector section: {e.Message}", e);
        }
    }

    public StepResult Step(double[] values)
    {
        if (values.Length != _input.Length)
            throw new ArgumentException($"sample has {values.Length} values, the model takes {_input.Length}.", nameof(values));
        int outFrac = Model.OutputFracBits;
        bool hadForecast = _hasPending;
        // What was forecast for this sample; before the first forecast the sample itself stands in (as in detect).
        for (int i = 0; i < _forecast.Length; i++)
        {
            double value = values[i];
            _forecast[i] = hadForecast ? FixedIo.ToDouble(_pending[i], outFrac) : double.IsNaN(value) ? 0.0 : value;
            _actual[i] = double.IsNaN(value) ? AnomalyDetector.Missing : SaturatingFixed(value, outFrac);
        }

        int scoreFixed = 0;
        bool anomaly = false, alarm = false;
        if (hadForecast && _detector is not null)
        {
            scoreFixed = _detector.Update(_actual, _pending);
            anomaly = _detector.IsAnomaly;
            alarm = _detector.IsAlarm;
        }

        // A missing value is bridged by the forecast made for it (or the last value seen) as the model's input.
        for (int i = 0; i < _input.Length; i++)
        {
            double value = values[i];
            if (double.IsNaN(value)) value = hadForecast && i < _forecast.Length ? _forecast[i] : _lastSeen[i];
            _lastSeen[i] = value;
            _input[i] = SaturatingFixed(value, Model.InputFracBits);
        }

        int[] reported = _pending;
        _predictor.Step(_input, _next);
        // Swap buffers: the new forecast becomes pending; the reported one stays valid until the next step.
        _pending = _next;
        _next = reported;
        _hasPending = true;
        return new StepResult(hadForecast, _forecast, reported, scoreFixed / (double)AnomalyDetector.ScoreOne, scoreFixed, anomaly, alarm);
    }

    /// <summary>Fixed point, saturating one short of int.MinValue (which the detector reads as "missing").</summary>
    private static int SaturatingFixed(double value, int fracBits)
    {
        int fixedValue = FixedIo.ToFixed(value, fracBits);
        return fixedValue == AnomalyDetector.Missing ? AnomalyDetector.Missing + 1 : fixedValue;
    }

    public void Reset()
    {
        _predictor.Reset();
        _detector?.Reset();
        _hasPending = false;
        Array.Clear(_lastSeen);
    }
}
