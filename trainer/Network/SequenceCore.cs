using System.Numerics;
using System.Runtime.CompilerServices;
using Embedded.Trainer.Model;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Network;

/// <summary>The precision-specific engine behind <see cref="SequenceModel"/>; its public face is double.</summary>
internal abstract class SequenceCore
{
    public abstract RecurrentNetwork Network { get; }
    public abstract void ZeroGradients();
    public abstract void ParametersChanged();
    public abstract ReadOnlySpan<double> ForwardAll(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial);
    public abstract void BackwardAll(ReadOnlySpan<double> dY, RecurrentState? dFinal, bool inputGradient, RecurrentState? initialGradient);
    public abstract ReadOnlySpan<double> ForwardLast(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial);
    public abstract void BackwardLast(ReadOnlySpan<double> dY);
}

/// <summary>
/// Forward and backward in <typeparamref name="T"/>. For double the network works on the model's own parameter and
/// gradient arrays; for float on copies: weights converted in <see cref="ParametersChanged"/>, gradients accumulated in
/// float and written back to the double tensors after every backward pass.
/// </summary>
internal sealed class SequenceCore<T> : SequenceCore where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly FloatModel _model;
    private readonly string[] _names;
    private readonly Dictionary<string, Tensor> _gradients;
    private readonly Dictionary<string, T[]> _parameters = new(StringComparer.Ordinal), _gradientsT = new(StringComparer.Ordinal);
    private readonly RecurrentNetwork<T> _network;
    private readonly DenseHead<T> _head;
    private readonly bool _shared;
    private T[] _x = [], _y = [], _dy = [], _features = [], _dTop = [], _dFeatures = [];
    private double[] _yDouble = [];
    private int _steps, _batch;

    public SequenceCore(FloatModel model, string[] names, Dictionary<string, Tensor> gradients, bool fastMath = false)
    {
        _model = model;
        _names = names;
        _gradients = gradients;
        _shared = typeof(T) == typeof(double);
        foreach (string name in names)
        {
            _parameters[name] = _shared ? (T[])(object)model[name].Data : new T[model[name].Data.Length];
            _gradientsT[name] = _shared ? (T[])(object)gradients[name].Data : new T[model[name].Data.Length];
        }
        if (!_shared) CopyParameters();
        _network = new RecurrentNetwork<T>(model, n => _parameters[n], n => _gradientsT[n], fastMath);
        _head = new DenseHead<T>(_parameters["head.weight"], _parameters["head.bias"], _gradientsT["head.weight"], _gradientsT["head.bias"],
            model.HiddenSize * model.Directions, model.OutputSize);
    }

    public override RecurrentNetwork Network => _network;
    private int Outputs => _model.OutputSize;

    public override void ZeroGradients()
    {
        if (!_shared) foreach (T[] g in _gradientsT.Values) Array.Clear(g);
    }

    public override void ParametersChanged()
    {
        if (!_shared) CopyParameters();
        _network.ParametersChanged();
    }

    private void CopyParameters()
    {
        foreach (string name in _names) Numbers.Into<T>(_model[name].Data, _parameters[name]);
    }

    /// <summary>After a backward pass: the float gradients (accumulated since ZeroGradients) into the double tensors.</summary>
    private void PublishGradients()
    {
        if (_shared) return;
        foreach (string name in _names) Numbers.To<T>(_gradientsT[name], _gradients[name].Data);
    }

    private ReadOnlyMemory<T> Input(ReadOnlyMemory<double> x)
    {
        if (_shared) return Unsafe.As<ReadOnlyMemory<double>, ReadOnlyMemory<T>>(ref x);
        if (_x.Length < x.Length) _x = new T[x.Length];
        Numbers.Into<T>(x.Span, _x);
        return _x.AsMemory(0, x.Length);
    }

    private ReadOnlySpan<double> Output(int length)
    {
        if (_shared) return ((double[])(object)_y).AsSpan(0, length);
        Grow(ref _yDouble, length);
        Numbers.To<T>(_y.AsSpan(0, length), _yDouble);
        return _yDouble.AsSpan(0, length);
    }

    private ReadOnlySpan<T> GradientIn(ReadOnlySpan<double> dY, int length) => Numbers.From<T>(dY[..length], ref _dy);

    public override ReadOnlySpan<double> ForwardAll(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial)
    {
        _steps = steps; _batch = batch;
        int rows = steps * batch;
        Grow(ref _y, rows * Outputs);
        ReadOnlySpan<T> top = _network.Forward(Input(x), steps, batch, initial);
        _head.Forward(top, _y, rows);
        return Output(rows * Outputs);
    }

    public override void BackwardAll(ReadOnlySpan<double> dY, RecurrentState? dFinal, bool inputGradient, RecurrentState? initialGradient)
    {
        int rows = _steps * _batch, width = _network.OutputWidth;
        Grow(ref _dTop, rows * width);
        Span<T> dTop = _dTop.AsSpan(0, rows * width);
        _head.Backward(_network.TopOutput, GradientIn(dY, rows * Outputs), dTop, rows, overwrite: true);
        _network.Backward(dTop, dFinal, inputGradient, initialGradient);
        PublishGradients();
    }

    public override ReadOnlySpan<double> ForwardLast(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial)
    {
        _steps = steps; _batch = batch;
        int width = _network.OutputWidth, h = _network.Hidden;
        Grow(ref _y, batch * Outputs);
        Grow(ref _features, batch * width);
        ReadOnlySpan<T> top = _network.Forward(Input(x), steps, batch, initial);
        for (int b = 0; b < batch; b++)
        {
            top.Slice(((steps - 1) * batch + b) * width, h).CopyTo(_features.AsSpan(b * width, h));
            if (_network.Directions == 2) top.Slice(b * width + h, h).CopyTo(_features.AsSpan(b * width + h, h));
        }
        _head.Forward(_features, _y, batch);
        return Output(batch * Outputs);
    }

    public override void BackwardLast(ReadOnlySpan<double> dY)
    {
        int steps = _steps, batch = _batch, rows = steps * batch, width = _network.OutputWidth, h = _network.Hidden;
        Grow(ref _dTop, rows * width);
        Grow(ref _dFeatures, batch * width);
        Span<T> dF = _dFeatures.AsSpan(0, batch * width);
        dF.Clear();
        _head.Backward(_features, GradientIn(dY, batch * Outputs), dF, batch);
        Span<T> dTop = _dTop.AsSpan(0, rows * width);
        dTop.Clear();
        for (int b = 0; b < batch; b++)
        {
            dF.Slice(b * width, h).CopyTo(dTop.Slice(((steps - 1) * batch + b) * width, h));
            if (_network.Directions == 2) dF.Slice(b * width + h, h).CopyTo(dTop.Slice(b * width + h, h));
        }
        _network.Backward(dTop, null);
        PublishGradients();
    }

    private static void Grow<TValue>(ref TValue[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new TValue[length];
    }
}
