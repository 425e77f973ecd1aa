using Embedded.Trainer.Cells;
using Embedded.Trainer.Model;
using Embedded.Shared.Model;

namespace Embedded.Trainer.Network;

/// <summary>
/// The stacked (optionally bidirectional) recurrent part of a <see cref="FloatModel"/>, bound to the model's
/// parameter arrays (updates to them are seen after <see cref="ParametersChanged"/>). Time-major input
/// (T × B × I), output (T × B × H·directions) with the forward direction first, as PyTorch.
/// </summary>
public sealed class RecurrentNetwork
{
    private readonly RecurrentUnit[] _units;     // layer·directions + direction
    private double[][] _layerOut = [];           // concatenated output per layer (T·B × H·D)
    private double[][] _dLayerOut = [];          // gradient w.r.t. each layer's output
    private double[] _dInput = [];
    private int _steps, _batch;
    private ReadOnlyMemory<double> _input;

    public RecurrentNetwork(FloatModel model, IDictionary<string, Tensor> gradients)
    {
        Model = model;
        Directions = model.Directions;
        Hidden = model.HiddenSize;
        _units = new RecurrentUnit[model.Layers * Directions];
        for (int layer = 0; layer < model.Layers; layer++)
            for (int dir = 0; dir < Directions; dir++)
            {
                bool reverse = dir == 1;
                IRecurrentCell cell = model.Cell switch
                {
                    CellType.Rnn => new ElmanCell(),
                    CellType.Lstm => new LstmCell(),
                    CellType.Gru => new GruCell(),
                    _ => throw new InvalidOperationException($"unknown cell {model.Cell}"),
                };
                double[] P(string kind) => model[FloatModel.RnnName(kind, layer, reverse)].Data;
                double[] G(string kind) => gradients[FloatModel.RnnName(kind, layer, reverse)].Data;
                _units[layer * Directions + dir] = new RecurrentUnit(cell, model.LayerInputSize(layer), Hidden, reverse,
                    P("weight_ih"), P("weight_hh"), P("bias_ih"), P("bias_hh"), G("weight_ih"), G("weight_hh"), G("bias_ih"), G("bias_hh"));
            }
    }

    public FloatModel Model { get; }
    public int Directions { get; }
    public int Hidden { get; }
    public int OutputWidth => Hidden * Directions;
    public int Units => _units.Length;
    public bool HasCellState => _units[0].Cell.HasCellState;

    public RecurrentState NewState(int batch) => new(_units.Length, batch, Hidden, HasCellState);

    public void ParametersChanged()
    {
        foreach (var unit in _units) unit.ParametersChanged();
    }

    /// <summary>
    /// Forward over x (T·B × I). <paramref name="initial"/> null = zero state. Returns the top layer's output
    /// (T·B × H·D), valid until the next Forward. The input must stay unchanged until Backward.
    /// </summary>
    public ReadOnlySpan<double> Forward(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial)
    {
        _steps = steps;
        _batch = batch;
        _input = x;
        int rows = steps * batch, width = OutputWidth, layers = Model.Layers;
        if (_layerOut.Length != layers || _layerOut[0].Length < rows * width)
        {
            _layerOut = new double[layers][];
            _dLayerOut = new double[layers][];
            for (int l = 0; l < layers; l++) { _layerOut[l] = new double[rows * width]; _dLayerOut[l] = new double[rows * width]; }
        }
        ReadOnlySpan<double> input = x.Span;
        for (int layer = 0; layer < layers; layer++)
        {
            for (int dir = 0; dir < Directions; dir++)
            {
                int u = layer * Directions + dir;
                _units[u].Forward(input, steps, batch, initial is null ? default : initial.H[u], initial is null ? default : initial.C[u]);
                Interleave(_units[u].Output, _layerOut[layer], rows, dir);
            }
            input = _layerOut[layer].AsSpan(0, rows * width);
        }
        return _layerOut[layers - 1].AsSpan(0, rows * width);
    }

    /// <summary>Copies the final state of every unit into <paramref name="state"/> (for truncated BPTT or streaming).</summary>
    public void CopyFinalState(RecurrentState state)
    {
        for (int u = 0; u < _units.Length; u++)
        {
            _units[u].FinalHidden.CopyTo(state.H[u]);
            if (HasCellState) _units[u].FinalCell.CopyTo(state.C[u]);
        }
    }

    /// <summary>
    /// Backward through the last Forward: <paramref name="dTop"/> = dL/d(top output) (T·B × H·D);
    /// <paramref name="dFinal"/> = dL/d(h_n, c_n) or null. Accumulates parameter gradients. With
    /// <paramref name="inputGradient"/> the gradient w.r.t. x is computed (see <see cref="InputGradient"/>);
    /// <paramref name="initialGradient"/> receives dL/d(h0, c0) when given.
    /// </summary>
    public void Backward(ReadOnlySpan<double> dTop, RecurrentState? dFinal, bool inputGradient = false, RecurrentState? initialGradient = null)
    {
        int rows = _steps * _batch, width = OutputWidth, layers = Model.Layers;
        dTop[..(rows * width)].CopyTo(_dLayerOut[layers - 1]);
        if (inputGradient && _dInput.Length < rows * Model.InputSize) _dInput = new double[rows * Model.InputSize];
        if (inputGradient) _dInput.AsSpan(0, rows * Model.InputSize).Clear();
        for (int layer = layers - 1; layer >= 0; layer--)
        {
            ReadOnlySpan<double> input = layer == 0 ? _input.Span : _layerOut[layer - 1].AsSpan(0, rows * width);
            Span<double> dx = layer == 0 ? (inputGradient ? _dInput.AsSpan(0, rows * Model.InputSize) : default) : _dLayerOut[layer - 1].AsSpan(0, rows * width);
            if (layer > 0) dx.Clear();
            for (int dir = 0; dir < Directions; dir++)
            {
                int u = layer * Directions + dir;
                Span<double> unitGrad = _units[u].Hidden == width ? _dLayerOut[layer].AsSpan(0, rows * width) : Deinterleave(_dLayerOut[layer], rows, dir);
                _units[u].Backward(input, unitGrad, dFinal is null ? default : dFinal.H[u], dFinal is null ? default : dFinal.C[u], dx);
                if (initialGradient is not null)
                {
                    _units[u].InitialHiddenGradient.CopyTo(initialGradient.H[u]);
                    if (HasCellState) _units[u].InitialCellGradient.CopyTo(initialGradient.C[u]);
                }
            }
        }
    }

    /// <summary>The top layer's output of the last Forward (T·B × H·D).</summary>
    public ReadOnlyMemory<double> TopOutputMemory => _layerOut[Model.Layers - 1].AsMemory(0, _steps * _batch * OutputWidth);

    /// <summary>dL/dx (T·B × I) after a Backward with inputGradient.</summary>
    public ReadOnlySpan<double> InputGradient => _dInput.AsSpan(0, _steps * _batch * Model.InputSize);

    private double[] _split = [];

    private Span<double> Deinterleave(double[] combined, int rows, int dir)
    {
        int h = Hidden, width = OutputWidth;
        if (_split.Length < rows * h) _split = new double[rows * h];
        for (int r = 0; r < rows; r++) combined.AsSpan(r * width + dir * h, h).CopyTo(_split.AsSpan(r * h, h));
        return _split.AsSpan(0, rows * h);
    }

    private void Interleave(ReadOnlySpan<double> unitOut, double[] combined, int rows, int dir)
    {
        int h = Hidden, width = OutputWidth;
        if (width == h) { unitOut[..(rows * h)].CopyTo(combined); return; }
        for (int r = 0; r < rows; r++) unitOut.Slice(r * h, h).CopyTo(combined.AsSpan(r * width + dir * h, h));
    }
}
