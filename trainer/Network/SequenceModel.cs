using Embedded.Trainer.Model;

namespace Embedded.Trainer.Network;

/// <summary>
/// A <see cref="FloatModel"/> ready for batched float forward and backward passes: the recurrent stack, the
/// dense head and a gradient tensor per parameter (same names and shapes). Two read-outs:
/// many-to-many (head on every time step: forecasting, next symbol) and many-to-one (head on the last step;
/// bidirectional models use the forward half at the last step and the reverse half at the first, i.e. each
/// direction's final state).
/// </summary>
public sealed class SequenceModel
{
    private double[] _y = [], _features = [], _dTop = [], _dFeatures = [];
    private int _steps, _batch;

    public SequenceModel(FloatModel model)
    {
        FloatModelFactory.Validate(model, "model");
        Model = model;
        ParameterNames = FloatModelFactory.ParameterNames(model).ToArray();
        Gradients = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string name in ParameterNames) Gradients[name] = new Tensor((int[])model[name].Shape.Clone());
        Network = new RecurrentNetwork(model, Gradients);
        Head = new DenseHead(model, Gradients);
    }

    public FloatModel Model { get; }
    public RecurrentNetwork Network { get; }
    public DenseHead Head { get; }
    public Dictionary<string, Tensor> Gradients { get; }
    public string[] ParameterNames { get; }
    public int Outputs => Model.OutputSize;

    public void ZeroGradients()
    {
        foreach (var g in Gradients.Values) Array.Clear(g.Data);
    }

    /// <summary>Call after changing parameter values in place (optimizer step, loading weights).</summary>
    public void ParametersChanged() => Network.ParametersChanged();

    /// <summary>Head applied at every step: returns y (T·B × O), time-major.</summary>
    public ReadOnlySpan<double> ForwardAll(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial = null)
    {
        _steps = steps; _batch = batch;
        int rows = steps * batch;
        Grow(ref _y, rows * Outputs);
        ReadOnlySpan<double> top = Network.Forward(x, steps, batch, initial);
        Head.Forward(top, _y, rows);
        return _y.AsSpan(0, rows * Outputs);
    }

    /// <summary>Backward for <see cref="ForwardAll"/>: dY (T·B × O); dFinal optionally the gradient of the final state.</summary>
    public void BackwardAll(ReadOnlySpan<double> dY, RecurrentState? dFinal = null, bool inputGradient = false, RecurrentState? initialGradient = null)
    {
        int rows = _steps * _batch, width = Network.OutputWidth;
        Grow(ref _dTop, rows * width);
        Span<double> dTop = _dTop.AsSpan(0, rows * width);
        dTop.Clear();
        Head.Backward(TopOutput(rows * width), dY, dTop, rows);
        Network.Backward(dTop, dFinal, inputGradient, initialGradient);
    }

    /// <summary>Head applied to the final state only: returns y (B × O).</summary>
    public ReadOnlySpan<double> ForwardLast(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial = null)
    {
        _steps = steps; _batch = batch;
        int width = Network.OutputWidth, h = Network.Hidden;
        Grow(ref _y, batch * Outputs);
        Grow(ref _features, batch * width);
        ReadOnlySpan<double> top = Network.Forward(x, steps, batch, initial);
        for (int b = 0; b < batch; b++)
        {
            top.Slice(((steps - 1) * batch + b) * width, h).CopyTo(_features.AsSpan(b * width, h));
            if (Network.Directions == 2) top.Slice(b * width + h, h).CopyTo(_features.AsSpan(b * width + h, h));
        }
        Head.Forward(_features, _y, batch);
        return _y.AsSpan(0, batch * Outputs);
    }

    /// <summary>Backward for <see cref="ForwardLast"/>: dY (B × O).</summary>
    public void BackwardLast(ReadOnlySpan<double> dY)
    {
        int steps = _steps, batch = _batch, rows = steps * batch, width = Network.OutputWidth, h = Network.Hidden;
        Grow(ref _dTop, rows * width);
        Grow(ref _dFeatures, batch * width);
        Span<double> dF = _dFeatures.AsSpan(0, batch * width);
        dF.Clear();
        Head.Backward(_features, dY, dF, batch);
        Span<double> dTop = _dTop.AsSpan(0, rows * width);
        dTop.Clear();
        for (int b = 0; b < batch; b++)
        {
            dF.Slice(b * width, h).CopyTo(dTop.Slice(((steps - 1) * batch + b) * width, h));
            if (Network.Directions == 2) dF.Slice(b * width + h, h).CopyTo(dTop.Slice(b * width + h, h));
        }
        Network.Backward(dTop, null);
    }

    private ReadOnlySpan<double> TopOutput(int length) => Network.TopOutputMemory.Span[..length];

    private static void Grow(ref double[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new double[length];
    }
}
