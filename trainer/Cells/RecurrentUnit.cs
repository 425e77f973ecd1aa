using System.Numerics.Tensors;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Cells;

/// <summary>
/// One layer in one direction: the shared BPTT machinery around an <see cref="IRecurrentCell"/>.
/// The input-side pre-activations of all T·B rows come from one matrix product before the time loop; each
/// step then needs one (B×H)·(H×G·H) product. Backward collects the per-step pre-activation gradients and
/// forms the weight gradients with one product each after the loop. A reverse unit walks time backwards
/// over the same real-time-ordered input and output buffers. Buffers grow on demand and are reused: no
/// allocation per step or per batch once sizes settle.
/// </summary>
public sealed class RecurrentUnit
{
    private readonly IRecurrentCell _cell;
    private readonly double[] _wih, _whh, _bih, _bhh;          // parameters (shared with the model)
    private readonly double[] _gWih, _gWhh, _gBih, _gBhh;      // gradients (accumulated)
    private readonly double[] _wihT, _whhT;                    // transposed copies for row-vector products
    private double[] _gx = [], _act = [], _aux = [], _hs = [], _cs = [], _out = [];
    private double[] _dGx = [], _dGh = [], _dh = [], _dhNext = [], _dc = [], _ghStep = [];
    private int _steps, _batch;

    public RecurrentUnit(IRecurrentCell cell, int inputSize, int hidden, bool reverse,
        double[] wih, double[] whh, double[] bih, double[] bhh, double[] gWih, double[] gWhh, double[] gBih, double[] gBhh)
    {
        _cell = cell;
        InputSize = inputSize;
        Hidden = hidden;
        Reverse = reverse;
        GateWidth = cell.Gates * hidden;
        (_wih, _whh, _bih, _bhh, _gWih, _gWhh, _gBih, _gBhh) = (wih, whh, bih, bhh, gWih, gWhh, gBih, gBhh);
        _wihT = new double[inputSize * GateWidth];
        _whhT = new double[hidden * GateWidth];
        ParametersChanged();
    }

    public int InputSize { get; }
    public int Hidden { get; }
    public bool Reverse { get; }
    public int GateWidth { get; }
    public IRecurrentCell Cell => _cell;

    /// <summary>Output h for every real time step (T·B × H), valid after Forward.</summary>
    public ReadOnlySpan<double> Output => _out.AsSpan(0, _steps * _batch * Hidden);
    /// <summary>h after the last processed step (B × H).</summary>
    public ReadOnlySpan<double> FinalHidden => _hs.AsSpan(_steps * _batch * Hidden, _batch * Hidden);
    public ReadOnlySpan<double> FinalCell => _cell.HasCellState ? _cs.AsSpan(_steps * _batch * Hidden, _batch * Hidden) : default;
    /// <summary>dL/dh0 and dL/dc0 (B × H), valid after Backward.</summary>
    public ReadOnlySpan<double> InitialHiddenGradient => _dhNext.AsSpan(0, _batch * Hidden);
    public ReadOnlySpan<double> InitialCellGradient => _cell.HasCellState ? _dc.AsSpan(0, _batch * Hidden) : default;

    /// <summary>Refreshes the transposed weight copies; call after the optimizer changes the weights.</summary>
    public void ParametersChanged()
    {
        Blas.Transpose(_wih, _wihT, GateWidth, InputSize);
        Blas.Transpose(_whh, _whhT, GateWidth, Hidden);
    }

    private void Ensure(int steps, int batch)
    {
        int rows = steps * batch, h = Hidden, g = GateWidth;
        if (_gx.Length < rows * g)
        {
            _gx = new double[rows * g]; _act = new double[rows * g]; _dGx = new double[rows * g]; _dGh = new double[rows * g];
            _aux = new double[rows * h]; _out = new double[rows * h];
            _hs = new double[(rows + batch) * h];
            _cs = _cell.HasCellState ? new double[(rows + batch) * h] : [];
        }
        else if (_hs.Length < (rows + batch) * h)
        {
            _hs = new double[(rows + batch) * h];
            _cs = _cell.HasCellState ? new double[(rows + batch) * h] : [];
        }
        if (_dh.Length < batch * h)
        {
            _dh = new double[batch * h]; _dhNext = new double[batch * h]; _dc = new double[batch * h];
            _ghStep = new double[batch * g];
        }
        _steps = steps;
        _batch = batch;
    }

    /// <summary>
    /// Runs the unit over x (T·B × I, real time order). h0/c0 (B × H) may be empty for zeros.
    /// </summary>
    public void Forward(ReadOnlySpan<double> x, int steps, int batch, ReadOnlySpan<double> h0, ReadOnlySpan<double> c0)
    {
        Ensure(steps, batch);
        int rows = steps * batch, h = Hidden, g = GateWidth, bh = batch * h, bg = batch * g;
        Span<double> gx = _gx.AsSpan(0, rows * g);
        Blas.BroadcastRows(_bih, gx, rows);
        Blas.MatMulAdd(x[..(rows * InputSize)], _wihT, gx, rows, InputSize, g);

        Span<double> hs = _hs, cs = _cs;
        if (h0.IsEmpty) hs[..bh].Clear(); else h0[..bh].CopyTo(hs);
        if (_cell.HasCellState) { if (c0.IsEmpty) cs[..bh].Clear(); else c0[..bh].CopyTo(cs); }
        Span<double> gh = _ghStep.AsSpan(0, bg);
        for (int s = 0; s < steps; s++)
        {
            int t = Reverse ? steps - 1 - s : s;
            ReadOnlySpan<double> hPrev = hs.Slice(s * bh, bh);
            Blas.BroadcastRows(_bhh, gh, batch);
            Blas.MatMulAdd(hPrev, _whhT, gh, batch, h, g);
            Span<double> hNext = hs.Slice((s + 1) * bh, bh);
            _cell.Forward(gx.Slice(t * bg, bg), gh, hPrev,
                _cell.HasCellState ? cs.Slice(s * bh, bh) : default,
                _act.AsSpan(s * bg, bg), _aux.AsSpan(s * bh, bh), hNext,
                _cell.HasCellState ? cs.Slice((s + 1) * bh, bh) : default, batch, h);
            hNext.CopyTo(_out.AsSpan(t * bh, bh));
        }
    }

    /// <summary>
    /// Backward through the last Forward. <paramref name="dOut"/> is dL/d(Output) (T·B × H, real time order);
    /// <paramref name="dhN"/>/<paramref name="dcN"/> the gradients of the final state (empty = none). Accumulates
    /// parameter gradients; adds dL/dx into <paramref name="dx"/> unless it is empty.
    /// </summary>
    public void Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> dOut, ReadOnlySpan<double> dhN, ReadOnlySpan<double> dcN, Span<double> dx)
    {
        int steps = _steps, batch = _batch, rows = steps * batch, h = Hidden, g = GateWidth, bh = batch * h, bg = batch * g;
        Span<double> dh = _dh.AsSpan(0, bh), dhNext = _dhNext.AsSpan(0, bh), dc = _dc.AsSpan(0, bh);
        if (dhN.IsEmpty) dhNext.Clear(); else dhN[..bh].CopyTo(dhNext);
        if (dcN.IsEmpty) dc.Clear(); else dcN[..bh].CopyTo(dc);
        for (int s = steps - 1; s >= 0; s--)
        {
            int t = Reverse ? steps - 1 - s : s;
            TensorPrimitives.Add(dhNext, dOut.Slice(t * bh, bh), dh);
            Span<double> dGh = _dGh.AsSpan(s * bg, bg);
            _cell.Backward(_act.AsSpan(s * bg, bg), _aux.AsSpan(s * bh, bh), _hs.AsSpan(s * bh, bh),
                _cell.HasCellState ? _cs.AsSpan(s * bh, bh) : default, _hs.AsSpan((s + 1) * bh, bh),
                dh, dc, _dGx.AsSpan(t * bg, bg), dGh, dhNext, batch, h);
            Blas.MatMulAdd(dGh, _whh, dhNext, batch, g, h);
        }
        // Weight gradients for the whole sequence at once.
        Blas.TransposedMatMulAdd(_dGh.AsSpan(0, rows * g), _hs.AsSpan(0, rows * h), _gWhh, rows, g, h);
        Blas.AddColumnSums(_dGh.AsSpan(0, rows * g), _gBhh, rows);
        Blas.TransposedMatMulAdd(_dGx.AsSpan(0, rows * g), x[..(rows * InputSize)], _gWih, rows, g, InputSize);
        Blas.AddColumnSums(_dGx.AsSpan(0, rows * g), _gBih, rows);
        if (!dx.IsEmpty) Blas.MatMulAdd(_dGx.AsSpan(0, rows * g), _wih, dx, rows, g, InputSize);
    }
}
