using System.Numerics;
using System.Numerics.Tensors;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Cells;

/// <summary>
/// One layer in one direction: the shared BPTT machinery around an <see cref="IRecurrentCell{T}"/>, in float or double.
/// The input-side pre-activations of all T·B rows come from one product per gate before the time loop; each step then
/// needs one (B×H)·(H×H) product per gate, written gate-major so the cell works on contiguous runs. Backward keeps the
/// per-step pre-activation gradients (gate-major over the whole sequence) and forms every weight gradient with one
/// product per gate after the loop. A reverse unit walks time backwards over the same real-time-ordered buffers.
/// Buffers grow on demand and are reused: no allocation per step or per batch once sizes settle.
/// </summary>
public sealed class RecurrentUnit<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IRecurrentCell<T> _cell;
    private readonly T[] _wih, _whh, _bih, _bhh;          // parameters (PyTorch layout)
    private readonly T[] _gWih, _gWhh, _gBih, _gBhh;      // gradients (accumulated)
    private readonly T[] _wihT, _whhT;                    // transposed copies: (I × G·H), (H × G·H)
    private T[] _gx = [], _act = [], _aux = [], _hs = [], _cs = [], _out = [], _hPrevByTime = [];
    private T[] _dGx = [], _dGhn = [], _dh = [], _dhNext = [], _dc = [], _gh = [], _scratch = [];
    private int _steps, _batch;

    public RecurrentUnit(IRecurrentCell<T> cell, int inputSize, int hidden, bool reverse,
        T[] wih, T[] whh, T[] bih, T[] bhh, T[] gWih, T[] gWhh, T[] gBih, T[] gBhh)
    {
        _cell = cell;
        InputSize = inputSize;
        Hidden = hidden;
        Reverse = reverse;
        GateWidth = cell.Gates * hidden;
        (_wih, _whh, _bih, _bhh, _gWih, _gWhh, _gBih, _gBhh) = (wih, whh, bih, bhh, gWih, gWhh, gBih, gBhh);
        _wihT = new T[inputSize * GateWidth];
        _whhT = new T[hidden * GateWidth];
        ParametersChanged();
    }

    public int InputSize { get; }
    public int Hidden { get; }
    public bool Reverse { get; }
    public int GateWidth { get; }
    public IRecurrentCell<T> Cell => _cell;

    /// <summary>Output h for every real time step (T·B × H), valid after Forward.</summary>
    public ReadOnlySpan<T> Output => _out.AsSpan(0, _steps * _batch * Hidden);
    /// <summary>h after the last processed step (B × H).</summary>
    public ReadOnlySpan<T> FinalHidden => _hs.AsSpan(_steps * _batch * Hidden, _batch * Hidden);
    public ReadOnlySpan<T> FinalCell => _cell.HasCellState ? _cs.AsSpan(_steps * _batch * Hidden, _batch * Hidden) : default;
    /// <summary>dL/dh0 and dL/dc0 (B × H), valid after Backward.</summary>
    public ReadOnlySpan<T> InitialHiddenGradient => _dhNext.AsSpan(0, _batch * Hidden);
    public ReadOnlySpan<T> InitialCellGradient => _cell.HasCellState ? _dc.AsSpan(0, _batch * Hidden) : default;

    /// <summary>Refreshes the transposed weight copies; call after the weights change.</summary>
    public void ParametersChanged()
    {
        Blas.Transpose<T>(_wih, _wihT, GateWidth, InputSize);
        Blas.Transpose<T>(_whh, _whhT, GateWidth, Hidden);
    }

    private void Ensure(int steps, int batch)
    {
        int rows = steps * batch, h = Hidden, g = GateWidth;
        if (_gx.Length < rows * g)
        {
            _gx = new T[rows * g]; _act = new T[rows * g]; _dGx = new T[rows * g];
            _aux = new T[rows * h]; _out = new T[rows * h];
            _dGhn = _cell.SeparateHiddenGradient ? new T[rows * h] : [];
            _hPrevByTime = Reverse ? new T[rows * h] : [];
        }
        if (_hs.Length < (rows + batch) * h)
        {
            _hs = new T[(rows + batch) * h];
            _cs = _cell.HasCellState ? new T[(rows + batch) * h] : [];
        }
        if (_dh.Length < batch * h)
        {
            _dh = new T[batch * h]; _dhNext = new T[batch * h]; _dc = new T[batch * h];
            _gh = new T[batch * g];
        }
        int scratch = Math.Max(InputSize, h) * h;
        if (_scratch.Length < scratch) _scratch = new T[scratch];
        _steps = steps;
        _batch = batch;
    }

    /// <summary>Runs the unit over x (T·B × I, real time order). h0/c0 (B × H) may be empty for zeros.</summary>
    public void Forward(ReadOnlySpan<T> x, int steps, int batch, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0)
    {
        Ensure(steps, batch);
        int rows = steps * batch, h = Hidden, g = GateWidth, n = batch * h, gates = _cell.Gates, stride = rows * h, input = InputSize;
        // Input side for the whole sequence, gate-major: gx[gate][row][j] = b_ih + x·W_ihᵀ.
        for (int q = 0; q < gates; q++)
            Blas.Gemm<T>(x[..(rows * input)], input, 1, _wihT.AsSpan(q * h), g, _gx.AsSpan(q * stride, stride), h, rows, input, h,
                accumulate: false, bias: _bih.AsSpan(q * h, h));

        Span<T> hs = _hs, cs = _cs;
        if (h0.IsEmpty) hs[..n].Clear(); else h0[..n].CopyTo(hs);
        if (_cell.HasCellState) { if (c0.IsEmpty) cs[..n].Clear(); else c0[..n].CopyTo(cs); }
        Span<T> gh = _gh.AsSpan(0, gates * n);
        for (int s = 0; s < steps; s++)
        {
            int t = Reverse ? steps - 1 - s : s;
            ReadOnlySpan<T> hPrev = hs.Slice(s * n, n);
            if (Reverse) hPrev.CopyTo(_hPrevByTime.AsSpan(t * n, n));
            for (int q = 0; q < gates; q++)
                Blas.Gemm<T>(hPrev, h, 1, _whhT.AsSpan(q * h), g, gh.Slice(q * n, n), h, batch, h, h, accumulate: false, bias: _bhh.AsSpan(q * h, h));
            Span<T> hNext = hs.Slice((s + 1) * n, n);
            _cell.Forward(_gx.AsSpan(t * n), stride, gh, hPrev,
                _cell.HasCellState ? cs.Slice(s * n, n) : default,
                _act.AsSpan(s * gates * n, gates * n), _aux.AsSpan(s * n, n), hNext,
                _cell.HasCellState ? cs.Slice((s + 1) * n, n) : default, n);
            hNext.CopyTo(_out.AsSpan(t * n, n));
        }
    }

    /// <summary>
    /// Backward through the last Forward. <paramref name="dOut"/> is dL/d(Output) (T·B × H, real time order);
    /// <paramref name="dhN"/>/<paramref name="dcN"/> the gradients of the final state (empty = none). Accumulates
    /// parameter gradients; adds dL/dx into <paramref name="dx"/> unless it is empty.
    /// </summary>
    public void Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> dOut, ReadOnlySpan<T> dhN, ReadOnlySpan<T> dcN, Span<T> dx)
    {
        int steps = _steps, batch = _batch, rows = steps * batch, h = Hidden, g = GateWidth, n = batch * h, gates = _cell.Gates;
        int stride = rows * h, input = InputSize;
        bool separate = _cell.SeparateHiddenGradient;
        Span<T> dh = _dh.AsSpan(0, n), dhNext = _dhNext.AsSpan(0, n), dc = _dc.AsSpan(0, n);
        if (dhN.IsEmpty) dhNext.Clear(); else dhN[..n].CopyTo(dhNext);
        if (dcN.IsEmpty) dc.Clear(); else dcN[..n].CopyTo(dc);
        for (int s = steps - 1; s >= 0; s--)
        {
            int t = Reverse ? steps - 1 - s : s;
            TensorPrimitives.Add(dhNext, dOut.Slice(t * n, n), dh);
            _cell.Backward(_act.AsSpan(s * gates * n, gates * n), _aux.AsSpan(s * n, n), _hs.AsSpan(s * n, n),
                _cell.HasCellState ? _cs.AsSpan(s * n, n) : default, dh, dc, _dGx.AsSpan(t * n), stride,
                separate ? _dGhn.AsSpan(t * n, n) : default, dhNext, n);
            // dh_{t-1} += Σ_gate dG_gate · W_hh[gate block]
            for (int q = 0; q < gates; q++)
                Blas.Gemm<T>(HiddenSideGradient(q, t * n, n), h, 1, _whh.AsSpan(q * h * h, h * h), h, dhNext, h, batch, h, h, accumulate: true);
        }
        // Weight and bias gradients for the whole sequence at once, one product per gate.
        ReadOnlySpan<T> hPrevAll = Reverse ? _hPrevByTime.AsSpan(0, stride) : _hs.AsSpan(0, stride);
        for (int q = 0; q < gates; q++)
        {
            ReadOnlySpan<T> dGx = _dGx.AsSpan(q * stride, stride), dGh = HiddenSideGradient(q, 0, stride);
            Blas.TransposedMatMulAdd(dGh, h, hPrevAll, h, _gWhh.AsSpan(q * h * h, h * h), h, rows, h, h, _scratch);
            Blas.AddColumnSums(dGh, _gBhh.AsSpan(q * h, h), rows);
            Blas.TransposedMatMulAdd(dGx, h, x[..(rows * input)], input, _gWih.AsSpan(q * h * input, h * input), input, rows, h, input, _scratch);
            Blas.AddColumnSums(dGx, _gBih.AsSpan(q * h, h), rows);
            if (!dx.IsEmpty) Blas.Gemm<T>(dGx, h, 1, _wih.AsSpan(q * h * input, h * input), input, dx, input, rows, h, input, accumulate: true);
        }
    }

    /// <summary>The hidden-side pre-activation gradient of gate q: the input-side one, except GRU's n gate.</summary>
    private ReadOnlySpan<T> HiddenSideGradient(int q, int offset, int length) =>
        _cell.SeparateHiddenGradient && q == 2 ? _dGhn.AsSpan(offset, length) : _dGx.AsSpan(q * _steps * _batch * Hidden + offset, length);
}
