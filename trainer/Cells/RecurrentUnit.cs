using System.Numerics;
using System.Numerics.Tensors;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Cells;

/// <summary>
/// One layer in one direction: the shared BPTT machinery around an <see cref="IRecurrentCell{T}"/>, in float or double.
/// Each step forms all gates' pre-activations with two products, bias + x_t·W_ihᵀ then + h·W_hhᵀ, written gate-major so the
/// cell works on contiguous runs (the input side per step keeps a T·B·G·H buffer out of memory). Backward keeps the
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
    private readonly T[] _inputBias;                      // b_ih + b_hh for the summed gates, b_ih for GRU's n gate
    private readonly bool _fused;                         // LSTM on whole vectors: one fused pass per step (LstmFusedForward)
    private readonly T[] _fusedWeights = [], _fusedBias = [];
    private readonly T[] _whhPadded;                      // W_hh (G·H × H) with row stride _ldWhh, for dh_{t-1} in backward (W_hh itself when unpadded)
    private readonly int _ldWhh;
    private T[] _xn = [], _act = [], _aux = [], _hs = [], _cs = [], _out = [], _hPrevByTime = [];
    private T[] _biasSums = [], _dGx = [], _dGhn = [], _dh = [], _dhNext = [], _dc = [], _scratch = [];
    private int _steps, _batch, _actStride;              // _actStride: act's gate-block stride within a step (n, + ActPad for LSTM)

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
        _inputBias = new T[GateWidth];
        _ldWhh = PaddedStride(hidden);
        // Without padding the padded copy would equal W_hh itself: share the array and skip the copy.
        _whhPadded = _ldWhh == hidden ? _whh : new T[GateWidth * _ldWhh];
        _fused = cell is LstmCell<T> && LstmFusedForward.Supports<T>(hidden);
        if (_fused) { _fusedWeights = new T[(inputSize + hidden) * GateWidth]; _fusedBias = new T[GateWidth]; }
        ParametersChanged();
    }

    public int InputSize { get; }
    public int Hidden { get; }
    public bool Reverse { get; }
    public int GateWidth { get; }
    public IRecurrentCell<T> Cell => _cell;

    /// <summary>Output h for every real time step (T·B × H), valid after Forward (a forward unit's are its states h_1..h_T, not copied).</summary>
    public ReadOnlySpan<T> Output => OutputMemory.Span;
    public ReadOnlyMemory<T> OutputMemory => Reverse ? _out.AsMemory(0, _steps * _batch * Hidden) : _hs.AsMemory(_batch * Hidden, _steps * _batch * Hidden);
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
        int summed = _cell.SummedGates * Hidden;
        TensorPrimitives.Add(_bih.AsSpan(0, summed), _bhh.AsSpan(0, summed), _inputBias.AsSpan(0, summed));
        _bih.AsSpan(summed).CopyTo(_inputBias.AsSpan(summed));
        int doubled = _cell.DoubledGate;
        if (doubled >= 0)
        {
            // Forward-only copies: the cell takes tanh of this gate as 2·σ(2a) - 1.
            T two = T.CreateTruncating(2);
            Span<T> bias = _inputBias.AsSpan(doubled * Hidden, Hidden);
            TensorPrimitives.Multiply(bias, two, bias);
            for (int r = 0; r < InputSize; r++) { Span<T> row = _wihT.AsSpan(r * GateWidth + doubled * Hidden, Hidden); TensorPrimitives.Multiply(row, two, row); }
            for (int r = 0; r < Hidden; r++) { Span<T> row = _whhT.AsSpan(r * GateWidth + doubled * Hidden, Hidden); TensorPrimitives.Multiply(row, two, row); }
        }
        if (_whhPadded != _whh)
            for (int r = 0; r < GateWidth; r++) _whh.AsSpan(r * Hidden, Hidden).CopyTo(_whhPadded.AsSpan(r * _ldWhh, Hidden));
        if (_fused) LstmFusedForward.Pack<T>(_wihT, _whhT, _inputBias, _fusedWeights, _fusedBias, InputSize, Hidden);
    }

    /// <summary>
    /// A row stride for a matrix the product kernel streams row by row: rows a multiple of 256 bytes apart (H = 64, 128,
    /// 256 floats) map a whole depth block of a panel onto a few L1 sets, so such rows get one spare cache line.
    /// </summary>
    private static int PaddedStride(int columns)
    {
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        return columns * size % 256 == 0 ? columns + 64 / size : columns;
    }

    private void Ensure(int steps, int batch)
    {
        int rows = steps * batch, h = Hidden, g = GateWidth;
        // LSTM: act's gate blocks 64 bytes apart more than B·H (4 KB at B = 32, H = 32 unpadded: the fused step's and the
        // element-wise passes' four gate loads and stores per vector then share their low 12 address bits).
        _actStride = batch * h + (_cell is LstmCell<T> ? GatePad : 0);
        if (_act.Length < steps * _cell.Gates * _actStride) _act = new T[steps * _cell.Gates * _actStride];
        if (_dGx.Length < rows * g + _cell.Gates * GatePad)
        {
            _dGx = new T[rows * g + _cell.Gates * GatePad];
            _aux = new T[rows * h]; _out = Reverse ? new T[rows * h] : [];
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
            _dh = new T[batch * h]; _dhNext = new T[batch * h]; _dc = new T[batch * h]; _xn = new T[batch * h];
        }
        int scratch = Math.Max(InputSize, h) * h;
        if (_scratch.Length < scratch) _scratch = new T[scratch];
        if (_biasSums.Length < h) _biasSums = new T[h];
        _steps = steps;
        _batch = batch;
    }

    /// <summary>Runs the unit over x (T·B × I, real time order). h0/c0 (B × H) may be empty for zeros.</summary>
    public void Forward(ReadOnlySpan<T> x, int steps, int batch, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0)
    {
        Ensure(steps, batch);
        int h = Hidden, g = GateWidth, n = batch * h, gates = _cell.Gates, input = InputSize;
        Span<T> hs = _hs, cs = _cs;
        if (h0.IsEmpty) hs[..n].Clear(); else h0[..n].CopyTo(hs);
        if (_cell.HasCellState) { if (c0.IsEmpty) cs[..n].Clear(); else c0[..n].CopyTo(cs); }
        int summed = _cell.SummedGates;
        var stepBlocks = new GemmBlocks(h, _actStride, h, 0, 0);
        for (int s = 0; s < steps; s++)
        {
            int t = Reverse ? steps - 1 - s : s;
            ReadOnlySpan<T> hPrev = hs.Slice(s * n, n);
            if (Reverse) hPrev.CopyTo(_hPrevByTime.AsSpan(t * n, n));
            int actStride = _actStride;
            Span<T> act = _act.AsSpan(s * gates * actStride, gates * actStride), aux = _aux.AsSpan(s * n, n);
            // act[gate] = b_ih + b_hh + x_t·W_ihᵀ + h·W_hhᵀ for the summed gates, all gates at once. The input side is formed
            // per step (k = I is small) so no T·B·G·H buffer of input pre-activations travels through memory.
            ReadOnlySpan<T> xt = x.Slice(t * batch * input, batch * input);
            if (_fused)
            {
                // The next step's output regions, prefetched during this step where they outgrow L1 (act's block ≥ 8 KB: B = 32,
                // H ≥ 64; at H = 32 the prefetches cost more than they saved, measured); none after the last step.
                var next = s + 1 < steps && n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() >= 8192
                    ? new LstmFusedForward.NextStep<T>(_act.AsSpan((s + 1) * gates * actStride, gates * actStride), cs.Slice((s + 2) * n, n),
                        _aux.AsSpan((s + 1) * n, n), hs.Slice((s + 2) * n, n))
                    : default;
                LstmFusedForward.Step<T>(xt, hPrev, cs.Slice(s * n, n), _fusedWeights, _fusedBias, act, cs.Slice((s + 1) * n, n), aux,
                    hs.Slice((s + 1) * n, n), batch, input, h, actStride, next);
                if (Reverse) hs.Slice((s + 1) * n, n).CopyTo(_out.AsSpan(t * n, n));
                continue;
            }
            Blas.Gemm<T>(xt, input, 1, _wihT, g, act, h, batch, input, summed * h, GemmStart.Init, _inputBias, 0, stepBlocks);
            Blas.Gemm<T>(hPrev, h, 1, _whhT, g, act, h, batch, h, summed * h, GemmStart.Accumulate, default, 0, stepBlocks);
            if (summed < gates)
            {
                // GRU's n gate keeps its two sides apart: xn = W_in·x + b_in, aux = W_hn·h + b_hn.
                Blas.Gemm<T>(xt, input, 1, _wihT.AsSpan(summed * h), g, _xn, h, batch, input, h, GemmStart.Init, _inputBias.AsSpan(summed * h, h), 0, default);
                Blas.Gemm<T>(hPrev, h, 1, _whhT.AsSpan(summed * h), g, aux, h, batch, h, h, GemmStart.Init, _bhh.AsSpan(summed * h, h), 0, default);
            }
            Span<T> hNext = hs.Slice((s + 1) * n, n);
            if (_cell is LstmCell<T> lstmCell)
            {
                lstmCell.ForwardStrided(act, cs.Slice(s * n, n), cs.Slice((s + 1) * n, n), aux, hNext, n, actStride);
                if (Reverse) hNext.CopyTo(_out.AsSpan(t * n, n));
                continue;
            }
            _cell.Forward(_xn.AsSpan(0, n), hPrev, _cell.HasCellState ? cs.Slice(s * n, n) : default,
                act, aux, hNext, _cell.HasCellState ? cs.Slice((s + 1) * n, n) : default, n);
            if (Reverse) hNext.CopyTo(_out.AsSpan(t * n, n));
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
        int stride = rows * h, gs = stride + GatePad, input = InputSize;   // gs: dG's gate-block stride
        bool separate = _cell.SeparateHiddenGradient;
        Span<T> dh = _dh.AsSpan(0, n), dhNext = _dhNext.AsSpan(0, n), dc = _dc.AsSpan(0, n);
        if (dhN.IsEmpty) dhNext.Clear(); else dhN[..n].CopyTo(dhNext);
        if (dcN.IsEmpty) dc.Clear(); else dcN[..n].CopyTo(dc);
        bool lstm = _cell is LstmCell<T>;
        for (int s = steps - 1; s >= 0; s--)
        {
            int t = Reverse ? steps - 1 - s : s;
            GemmStart dhStart;
            if (lstm)
            {
                // LSTM: dh = dhNext + dOut inside the element-wise pass, and dh_{t-1} from a zero-start product instead of
                // clear + accumulate (fma(a, b, +0) either way: the same bits, two passes over B·H fewer per step).
                LstmCell<T>.BackwardSum(_act.AsSpan(s * gates * _actStride, gates * _actStride), _aux.AsSpan(s * n, n), _cs.AsSpan(s * n, n),
                    dhNext, dOut.Slice(t * n, n), dc, _dGx.AsSpan(t * n), gs, n, _actStride);
                dhStart = GemmStart.Zero;
            }
            else
            {
                TensorPrimitives.Add(dhNext, dOut.Slice(t * n, n), dh);
                _cell.Backward(_act.AsSpan(s * gates * _actStride, gates * _actStride), _aux.AsSpan(s * n, n), _hs.AsSpan(s * n, n),
                    _cell.HasCellState ? _cs.AsSpan(s * n, n) : default, dh, dc, _dGx.AsSpan(t * n), gs,
                    separate ? _dGhn.AsSpan(t * n, n) : default, dhNext, n);
                dhStart = GemmStart.Accumulate;
            }
            // dh_{t-1} (+)= Σ_gate dG_gate · W_hh[gate block]: the summed gates in one product (depth blocks = gate blocks), GRU's n apart.
            int summed = _cell.SummedGates;
            Blas.Gemm<T>(_dGx.AsSpan(t * n), h, 1, _whhPadded, _ldWhh, dhNext, h, batch, summed * h, h, dhStart, default, 0,
                new GemmBlocks(0, 0, 0, h, gs));
            if (separate)
                Blas.Gemm<T>(_dGhn.AsSpan(t * n, n), h, 1, _whhPadded.AsSpan(summed * h * _ldWhh), _ldWhh, dhNext, h, batch, h, h, accumulate: true);
        }
        // Weight and bias gradients for the whole sequence at once, one product per gate.
        ReadOnlySpan<T> hPrevAll = Reverse ? _hPrevByTime.AsSpan(0, stride) : _hs.AsSpan(0, stride);
        // dW_hh of the summed gates (all of LSTM's four) in one call: one product over the stacked gates where the kernel packs.
        int summedGates = _cell.SummedGates;
        Blas.TransposedMatMulAddBlocks(_dGx.AsSpan(0, summedGates * gs), h, gs, summedGates, hPrevAll, h, _gWhh.AsSpan(0, summedGates * h * h), h,
            rows, h, h, _scratch);
        for (int q = 0; q < gates; q++)
        {
            ReadOnlySpan<T> dGx = _dGx.AsSpan(q * gs, stride), dGh = HiddenSideGradient(q, 0, stride);
            if (q >= summedGates) Blas.TransposedMatMulAdd(dGh, h, hPrevAll, h, _gWhh.AsSpan(q * h * h, h * h), h, rows, h, h, _scratch);
            if (q >= _cell.SummedGates) Blas.AddColumnSums(dGh, _gBhh.AsSpan(q * h, h), rows);
            if (q >= _cell.SummedGates)
            {
                Blas.TransposedMatMulAdd(dGx, h, x[..(rows * input)], input, _gWih.AsSpan(q * h * input, h * input), input, rows, h, input, _scratch);
                Blas.AddColumnSums(dGx, _gBih.AsSpan(q * h, h), rows);
            }
            else
            {
                // Both biases of a summed gate get the same gradient: one pass down the rows serves both (and, where it applies,
                // the same pass forms dW_ih).
                Span<T> sums = _biasSums.AsSpan(0, h);
                sums.Clear();
                if (!Blas.TransposedMatMulAddWithColumnSums(dGx, x[..(rows * input)], input, _gWih.AsSpan(q * h * input, h * input), input, sums, rows, h))
                {
                    Blas.TransposedMatMulAdd(dGx, h, x[..(rows * input)], input, _gWih.AsSpan(q * h * input, h * input), input, rows, h, input, _scratch);
                    Blas.AddColumnSums(dGx, sums, rows);
                }
                TensorPrimitives.Add(_gBih.AsSpan(q * h, h), sums, _gBih.AsSpan(q * h, h));
                TensorPrimitives.Add(_gBhh.AsSpan(q * h, h), sums, _gBhh.AsSpan(q * h, h));
            }
            if (!dx.IsEmpty) Blas.Gemm<T>(dGx, h, 1, _wih.AsSpan(q * h * input, h * input), input, dx, input, rows, h, input, accumulate: true);
        }
    }

    /// <summary>
    /// Spare values (64 bytes) between dG's gate blocks. Unpadded, the blocks lie T·B·H values apart, a multiple of 4 KB at
    /// B = 32 (H = 32, 128): the element-wise backward's four gate stores per vector then share their low 12 address bits
    /// (4K aliasing against the next vector's loads); with the pad the H = 32 pass took ~40 % less time. Values only move.
    /// </summary>
    private static int GatePad => 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>The hidden-side pre-activation gradient of gate q: the input-side one, except GRU's n gate.</summary>
    private ReadOnlySpan<T> HiddenSideGradient(int q, int offset, int length) =>
        q >= _cell.SummedGates ? _dGhn.AsSpan(offset, length) : _dGx.AsSpan(q * (_steps * _batch * Hidden + GatePad) + offset, length);
}
