using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;

namespace Embedded.Trainer.Training;

/// <summary>
/// Streaming float inference with a <see cref="FloatModel"/>, one time step at a time with the state carried,
/// in raw units: the float reference for the quantizer and the evaluation tools. Not for bidirectional models.
/// </summary>
public sealed class FloatPredictor
{
    private readonly SequenceModel _seq;
    private readonly RecurrentState _state;
    private readonly double[] _x;

    public FloatPredictor(FloatModel model)
    {
        if (model.Bidirectional) throw new ArgumentException("streaming prediction needs a unidirectional model");
        Model = model;
        _seq = new SequenceModel(model);
        _state = _seq.Network.NewState(1);
        _x = new double[model.InputSize];
    }

    public FloatModel Model { get; }

    public void Reset() => _state.Clear();

    /// <summary>Feeds one row of raw features; returns the raw-unit forecast for Horizon rows ahead (Forecast) or logits.</summary>
    public double[] Step(ReadOnlySpan<double> rawFeatures)
    {
        for (int i = 0; i < _x.Length; i++)
            _x[i] = Model.InputMean.Length > i ? (rawFeatures[i] - Model.InputMean[i]) / Model.InputStd[i] : rawFeatures[i];
        double[] y = Run();
        if (Model.Task == TaskKind.Forecast)
            for (int k = 0; k < Model.ChangeOutputs.Length; k++) if (Model.ChangeOutputs[k]) y[k] += rawFeatures[k];
        return y;
    }

    /// <summary>Feeds one symbol id (NextSymbol models); returns the logits of the next symbol.</summary>
    public double[] StepSymbol(int symbol)
    {
        Array.Clear(_x);
        _x[symbol] = 1;
        return Run();
    }

    /// <summary>Normalised model output for a normalised input row (what the quantized runtime mirrors).</summary>
    public double[] StepNormalized(ReadOnlySpan<double> normalizedInput)
    {
        normalizedInput.CopyTo(_x);
        return RunRaw();
    }

    private double[] Run()
    {
        double[] y = RunRaw();
        if (Model.Task == TaskKind.Forecast && Model.TargetMean.Length == y.Length)
            for (int k = 0; k < y.Length; k++) y[k] = y[k] * Model.TargetStd[k] + Model.TargetMean[k];
        return y;
    }

    private double[] RunRaw()
    {
        double[] y = _seq.ForwardAll(_x, 1, 1, _state).ToArray();
        _seq.Network.CopyFinalState(_state);
        return y;
    }

    /// <summary>Streams every row; result[t] is the raw forecast made after row t (for row t + Horizon).</summary>
    public static double[][] PredictSeries(FloatModel model, double[][] rawRows)
    {
        var p = new FloatPredictor(model);
        return rawRows.Select(r => p.Step(r)).ToArray();
    }
}
