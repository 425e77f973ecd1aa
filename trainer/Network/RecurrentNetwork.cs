using System.Numerics;
using System.Numerics.Tensors;
using Embedded.Trainer.Cells;
using Embedded.Trainer.Numerics;
using Embedded.Trainer.Model;
using Embedded.Shared.Model;

namespace Embedded.Trainer.Network;

/// <summary>
/// The stacked (optionally bidirectional) recurrent part of a <see cref="FloatModel"/>. Time-major input
/// (T × B × I), output (T × B × H·directions) with the forward direction first, as PyTorch. States and the values
/// read back here are double whatever precision the network computes in (<see cref="RecurrentNetwork{T}"/>).
/// </summary>
public abstract class RecurrentNetwork
{
    protected RecurrentNetwork(FloatModel model)
    {
        Model = model;
        Directions = model.Directions;
        Hidden = model.HiddenSize;
    }

    public FloatModel Model { get; }
    public int Directions { get; }
    public int Hidden { get; }
    public int OutputWidth => Hidden * Directions;
    public int Units => Model.Layers * Directions;
    public bool HasCellState => Model.Cell == CellType.Lstm;

    public RecurrentState NewState(int batch) => new(Units, batch, Hidden, HasCellState);

    /// <summary>Copies the final state of every unit into <paramref name="state"/> (for truncated BPTT or streaming).</summary>
    public abstract void CopyFinalState(RecurrentState state);

    /// <summary>The top layer's output of the last Forward (T·B × H·D).</summary>
    public abstract ReadOnlyMemory<double> TopOutputMemory { get; }

    /// <summary>dL/dx (T·B × I) after a Backward with inputGradient.</summary>
    public abstract ReadOnlySpan<double> InputGradient { get; }

    internal static IRecurrentCell<T> CreateCell<T>(CellType cell, bool fastMath = false) where T : unmanaged, IFloatingPointIeee754<T> => cell switch
    {
        CellType.Rnn => new ElmanCell<T>(),
        CellType.Lstm => new LstmCell<T>(fastMath),
        CellType.Gru => new GruCell<T>(),
        _ => throw new InvalidOperationException($"unknown cell {cell}"),
    };
}

/// <summary>The recurrent stack computing in <typeparamref name="T"/> (float or double).</summary>
public sealed class RecurrentNetwork<T> : RecurrentNetwork where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RecurrentUnit<T>[] _units;  // layer·directions + direction
    private T[][] _layerOut = [];                // concatenated output per layer (T·B × H·D)
    private T[][] _dLayerOut = [];               // gradient w.r.t. each layer's output
    private T[] _dInput = [], _split = [], _stateIn = [], _stateIn2 = [];
    private double[] _topDouble = [], _dInputDouble = [];
    private int _steps, _batch;
    private ReadOnlyMemory<T> _input;

    /// <summary>Binds to parameter and gradient arrays by PyTorch name (the model's own for double, copies for float).</summary>
    public RecurrentNetwork(FloatModel model, Func<string, T[]> parameter, Func<string, T[]> gradient, bool fastMath = false) : base(model)
    {
        _units = new RecurrentUnit<T>[model.Layers * Directions];
        for (int layer = 0; layer < model.Layers; layer++)
            for (int dir = 0; dir < Directions; dir++)
            {
                bool reverse = dir == 1;
                T[] P(string kind) => parameter(FloatModel.RnnName(kind, layer, reverse));
                T[] G(string kind) => gradient(FloatModel.RnnName(kind, layer, reverse));
                _units[layer * Directions + dir] = new RecurrentUnit<T>(CreateCell<T>(model.Cell, fastMath), model.LayerInputSize(layer), Hidden, reverse,
                    P("weight_ih"), P("weight_hh"), P("bias_ih"), P("bias_hh"), G("weight_ih"), G("weight_hh"), G("bias_ih"), G("bias_hh"));
            }
    }

    public void ParametersChanged()
    {
        foreach (var unit in _units) unit.ParametersChanged();
    }

    /// <summary>
    /// Forward over x (T·B × I). <paramref name="initial"/> null = zero state. Returns the top layer's output
    /// (T·B × H·D), valid until the next Forward. The input must stay unchanged until Backward.
    /// </summary>
    public ReadOnlySpan<T> Forward(ReadOnlyMemory<T> x, int steps, int batch, RecurrentState? initial)
    {
        _steps = steps;
        _batch = batch;
        _input = x;
        int rows = steps * batch, width = OutputWidth, layers = Model.Layers;
        if (Directions == 2 && (_layerOut.Length != layers || _layerOut[0].Length < rows * width))
        {
            _layerOut = new T[layers][];
            _dLayerOut = new T[layers][];
            for (int l = 0; l < layers; l++) { _layerOut[l] = new T[rows * width]; _dLayerOut[l] = new T[rows * width]; }
        }
        ReadOnlySpan<T> input = x.Span;
        for (int layer = 0; layer < layers; layer++)
        {
            for (int dir = 0; dir < Directions; dir++)
            {
                int u = layer * Directions + dir;
                _units[u].Forward(input, steps, batch,
                    initial is null ? default : Numbers.From<T>(initial.H[u], ref _stateIn),
                    initial is null || !HasCellState ? default : Numbers.From<T>(initial.C[u], ref _stateIn2));
                if (Directions == 2) Interleave(_units[u].Output, _layerOut[layer], rows, dir);
            }
            input = LayerOutput(layer).Span;
        }
        return LayerOutput(layers - 1).Span;
    }

    /// <summary>A layer's output (T·B × H·D): a single direction's unit output as is, both directions interleaved.</summary>
    private ReadOnlyMemory<T> LayerOutput(int layer) =>
        Directions == 1 ? _units[layer].OutputMemory : _layerOut[layer].AsMemory(0, _steps * _batch * OutputWidth);

    public override void CopyFinalState(RecurrentState state)
    {
        for (int u = 0; u < _units.Length; u++)
        {
            Numbers.To(_units[u].FinalHidden, state.H[u]);
            if (HasCellState) Numbers.To(_units[u].FinalCell, state.C[u]);
        }
    }

    /// <summary>
    /// Backward through the last Forward: <paramref name="dTop"/> = dL/d(top output) (T·B × H·D);
    /// <paramref name="dFinal"/> = dL/d(h_n, c_n) or null. Accumulates parameter gradients. With
    /// <paramref name="inputGradient"/> the gradient w.r.t. x is computed (see <see cref="InputGradient"/>);
    /// <paramref name="initialGradient"/> receives dL/d(h0, c0) when given.
    /// </summary>
    public void Backward(ReadOnlySpan<T> dTop, RecurrentState? dFinal, bool inputGradient = false, RecurrentState? initialGradient = null)
    {
        int rows = _steps * _batch, width = OutputWidth, layers = Model.Layers;
        if (_dLayerOut.Length != layers || _dLayerOut[0].Length < rows * width)
        {
            _dLayerOut = new T[layers][];
            for (int l = 0; l < layers; l++) _dLayerOut[l] = new T[rows * width];
        }
        if (Directions == 2) dTop[..(rows * width)].CopyTo(_dLayerOut[layers - 1]);
        if (inputGradient && _dInput.Length < rows * Model.InputSize) _dInput = new T[rows * Model.InputSize];
        if (inputGradient) _dInput.AsSpan(0, rows * Model.InputSize).Clear();
        for (int layer = layers - 1; layer >= 0; layer--)
        {
            ReadOnlySpan<T> input = layer == 0 ? _input.Span : LayerOutput(layer - 1).Span;
            Span<T> dx = layer == 0 ? (inputGradient ? _dInput.AsSpan(0, rows * Model.InputSize) : default) : _dLayerOut[layer - 1].AsSpan(0, rows * width);
            if (layer > 0) dx.Clear();
            for (int dir = 0; dir < Directions; dir++)
            {
                int u = layer * Directions + dir;
                ReadOnlySpan<T> unitGrad = Directions == 1 ? (layer == layers - 1 ? dTop[..(rows * width)] : _dLayerOut[layer].AsSpan(0, rows * width))
                    : Deinterleave(_dLayerOut[layer], rows, dir);
                _units[u].Backward(input, unitGrad,
                    dFinal is null ? default : Numbers.From<T>(dFinal.H[u], ref _stateIn),
                    dFinal is null || !HasCellState ? default : Numbers.From<T>(dFinal.C[u], ref _stateIn2), dx);
                if (initialGradient is not null)
                {
                    Numbers.To(_units[u].InitialHiddenGradient, initialGradient.H[u]);
                    if (HasCellState) Numbers.To(_units[u].InitialCellGradient, initialGradient.C[u]);
                }
            }
        }
    }

    /// <summary>The top layer's output of the last Forward in the network's own precision.</summary>
    public ReadOnlySpan<T> TopOutput => LayerOutput(Model.Layers - 1).Span;

    public override ReadOnlyMemory<double> TopOutputMemory
    {
        get
        {
            int length = _steps * _batch * OutputWidth;
            if (_topDouble.Length < length) _topDouble = new double[length];
            Numbers.To(TopOutput, _topDouble);
            return _topDouble.AsMemory(0, length);
        }
    }

    public override ReadOnlySpan<double> InputGradient
    {
        get
        {
            int length = _steps * _batch * Model.InputSize;
            if (_dInputDouble.Length < length) _dInputDouble = new double[length];
            Numbers.To(_dInput.AsSpan(0, length), _dInputDouble);
            return _dInputDouble.AsSpan(0, length);
        }
    }

    private Span<T> Deinterleave(T[] combined, int rows, int dir)
    {
        int h = Hidden, width = OutputWidth;
        if (_split.Length < rows * h) _split = new T[rows * h];
        for (int r = 0; r < rows; r++) combined.AsSpan(r * width + dir * h, h).CopyTo(_split.AsSpan(r * h, h));
        return _split.AsSpan(0, rows * h);
    }

    private void Interleave(ReadOnlySpan<T> unitOut, T[] combined, int rows, int dir)
    {
        int h = Hidden, width = OutputWidth;
        for (int r = 0; r < rows; r++) unitOut.Slice(r * h, h).CopyTo(combined.AsSpan(r * width + dir * h, h));
    }
}
