using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Cells;

/// <summary>
/// LSTM (PyTorch nn.LSTM), gate order i, f, g, o:
/// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o) with a = W_ih x + b_ih + W_hh h + b_hh;
/// c_t = f·c_{t-1} + i·g, h_t = o·tanh(c_t).
/// </summary>
/// <param name="fastMath">
/// The general forward path with the library's sigmoid and tanh (TensorPrimitives) and an unfused c = f·c_prev + i·g, as before
/// issue 17 item 5: faster where fma runs in software (x64 without FMA), but its bits follow the CPU and differ from the fused pass.
/// </param>
public sealed class LstmCell<T>(bool fastMath = false) : IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool FastMath => fastMath;
    public int Gates => 4;
    public bool HasCellState => true;
    public bool SeparateHiddenGradient => false;
    public int DoubledGate => 2;
    public int SummedGates => 4;

    public void Forward(ReadOnlySpan<T> xn, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        Span<T> act, Span<T> aux, Span<T> h, Span<T> c, int n)
    {
        ForwardStrided(act, cPrev, c, aux, h, n, n);
    }

    /// <summary><see cref="Forward"/> with act's gate blocks <paramref name="actStride"/> apart (n or more).</summary>
    internal void ForwardStrided(Span<T> act, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> tanhC, Span<T> h, int n, int actStride)
    {
        if (fastMath)
        {
            // --fast-math: one library sigmoid pass per gate (g arrives doubled: tanh(a) = 2σ(2a) - 1), the update, tanh(c), o·tanh(c).
            for (int q = 0; q < 4; q++) TensorPrimitives.Sigmoid(act.Slice(q * actStride, n), act.Slice(q * actStride, n));
            var update = new FastCellUpdateBody(act, cPrev, c, actStride);
            ElementwiseLoop.Run<T, FastCellUpdateBody>(ref update, n);
            TensorPrimitives.Tanh(c[..n], tanhC[..n]);
            TensorPrimitives.Multiply(act.Slice(3 * actStride, n), tanhC[..n], h[..n]);
            return;
        }
        var body = new ForwardBody(act, cPrev, c, tanhC, h, actStride);
        ElementwiseLoop.Run<T, ForwardBody>(ref body, n);
    }

    /// <summary>
    /// One pass per vector of units, the fused pass's epilogue (<see cref="LstmFusedForward"/>'s Finish) operation for operation:
    /// i, f, o = σ, g = 2·σ(2a_g) - 1 (the g block arrives as 2·a_g, see DoubledGate), c = fma(f, c_prev, i·g),
    /// tanh(c) = 2·σ(2c) - 1, h = o·tanh(c), with FastExp's sigmoid at every width (512, 256, 128 bits, one value). So the
    /// general path (units not whole vectors, the scalar path, arm64) gives the fused pass's bits (issue 17 item 5).
    /// </summary>
    private readonly ref struct ForwardBody(Span<T> act, ReadOnlySpan<T> cPrev, Span<T> c, Span<T> tanhC, Span<T> h, int n) : IElementwiseBody<T>
    {
        private readonly ref T _act = ref MemoryMarshal.GetReference(act);
        private readonly int _n = n;
        private readonly ref T _cPrev = ref MemoryMarshal.GetReference(cPrev);
        private readonly ref T _c = ref MemoryMarshal.GetReference(c);
        private readonly ref T _tanhC = ref MemoryMarshal.GetReference(tanhC);
        private readonly ref T _h = ref MemoryMarshal.GetReference(h);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV, TOps>(int k) where TV : struct where TOps : IVectorOps<T, TV>
        {
            TV one = TOps.Broadcast(T.One);
            ref T a = ref Unsafe.Add(ref _act, k);
            TV i = TOps.Sigmoid(TOps.Load(ref a)), f = TOps.Sigmoid(TOps.Load(ref Unsafe.Add(ref a, _n))), o = TOps.Sigmoid(TOps.Load(ref Unsafe.Add(ref a, 3 * _n)));
            TV sg = TOps.Sigmoid(TOps.Load(ref Unsafe.Add(ref a, 2 * _n)));
            TV g = TOps.Subtract(TOps.Add(sg, sg), one);
            TV c = TOps.MultiplyAdd(f, TOps.Load(ref Unsafe.Add(ref _cPrev, k)), TOps.Multiply(i, g));
            TV sc = TOps.Sigmoid(TOps.Add(c, c));
            TV tc = TOps.Subtract(TOps.Add(sc, sc), one);
            TOps.Store(i, ref a);
            TOps.Store(f, ref Unsafe.Add(ref a, _n));
            TOps.Store(g, ref Unsafe.Add(ref a, 2 * _n));
            TOps.Store(o, ref Unsafe.Add(ref a, 3 * _n));
            TOps.Store(c, ref Unsafe.Add(ref _c, k));
            TOps.Store(tc, ref Unsafe.Add(ref _tanhC, k));
            TOps.Store(TOps.Multiply(o, tc), ref Unsafe.Add(ref _h, k));
        }
    }

    /// <summary>--fast-math's update: g = 2·σ - 1 (stored back for backward), c = f·c_prev + i·g unfused.</summary>
    private readonly ref struct FastCellUpdateBody(Span<T> act, ReadOnlySpan<T> cPrev, Span<T> c, int stride) : IElementwiseBody<T>
    {
        private readonly ref T _i = ref MemoryMarshal.GetReference(act);
        private readonly ref T _f = ref Unsafe.Add(ref MemoryMarshal.GetReference(act), stride);
        private readonly ref T _g = ref Unsafe.Add(ref MemoryMarshal.GetReference(act), 2 * stride);
        private readonly ref T _cPrev = ref MemoryMarshal.GetReference(cPrev);
        private readonly ref T _c = ref MemoryMarshal.GetReference(c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV, TOps>(int k) where TV : struct where TOps : IVectorOps<T, TV>
        {
            TV g = TOps.Load(ref Unsafe.Add(ref _g, k));
            g = TOps.Subtract(TOps.Add(g, g), TOps.Broadcast(T.One));
            TOps.Store(g, ref Unsafe.Add(ref _g, k));
            TV fc = TOps.Multiply(TOps.Load(ref Unsafe.Add(ref _f, k)), TOps.Load(ref Unsafe.Add(ref _cPrev, k)));
            TOps.Store(TOps.Add(fc, TOps.Multiply(TOps.Load(ref Unsafe.Add(ref _i, k)), g)), ref Unsafe.Add(ref _c, k));
        }
    }

    public void Backward(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh,
        Span<T> dc, Span<T> dGx, int dStride, Span<T> dGhn, Span<T> dhPrevDirect, int n)
    {
        var body = new BackwardBody(act, aux, cPrev, dh, dc, dGx, dStride, n);
        ElementwiseLoop.Run<T, BackwardBody>(ref body, n);
        dhPrevDirect[..n].Clear();
    }

    /// <summary>
    /// <see cref="Backward"/> with dh = dhNext + dOut formed in registers (the same single addition per element as a separate
    /// pass) and without clearing dhNext: the caller overwrites it with a zero-start product (the same bits as clear + accumulate).
    /// </summary>
    internal static void BackwardSum(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dhNext, ReadOnlySpan<T> dOut,
        Span<T> dc, Span<T> dGx, int dStride, int n, int actStride)
    {
        var body = new BackwardBody(act, aux, cPrev, dhNext, dc, dGx, dStride, actStride, dOut);
        ElementwiseLoop.Run<T, BackwardBody>(ref body, n);
    }

    /// <summary>
    /// dc_t = dc + dh·o·(1 - tanh²c); the four pre-activation gradients; dc_{t-1} = dc_t·f. With dOut: dh = dh + dOut first.
    /// n here is act's gate-block stride (the loop length is the caller's).
    /// </summary>
    private readonly ref struct BackwardBody(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh,
        Span<T> dc, Span<T> dGx, int dStride, int n, ReadOnlySpan<T> dOut = default) : IElementwiseBody<T>
    {
        private readonly ref T _dOut = ref MemoryMarshal.GetReference(dOut);
        private readonly bool _sum = !dOut.IsEmpty;
        private readonly ref T _i = ref MemoryMarshal.GetReference(act);
        private readonly int _n = n, _stride = dStride;
        private readonly ref T _tanhC = ref MemoryMarshal.GetReference(aux);
        private readonly ref T _cPrev = ref MemoryMarshal.GetReference(cPrev);
        private readonly ref T _dh = ref MemoryMarshal.GetReference(dh);
        private readonly ref T _dc = ref MemoryMarshal.GetReference(dc);
        private readonly ref T _di = ref MemoryMarshal.GetReference(dGx);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV, TOps>(int k) where TV : struct where TOps : IVectorOps<T, TV>
        {
            TV one = TOps.Broadcast(T.One);
            ref T ik = ref Unsafe.Add(ref _i, k);
            TV i = TOps.Load(ref ik), f = TOps.Load(ref Unsafe.Add(ref ik, _n));
            TV g = TOps.Load(ref Unsafe.Add(ref ik, 2 * _n)), o = TOps.Load(ref Unsafe.Add(ref ik, 3 * _n));
            TV tc = TOps.Load(ref Unsafe.Add(ref _tanhC, k)), dh = TOps.Load(ref Unsafe.Add(ref _dh, k));
            if (_sum) dh = TOps.Add(dh, TOps.Load(ref Unsafe.Add(ref _dOut, k)));
            ref T dck = ref Unsafe.Add(ref _dc, k);
            TV dct = TOps.Add(TOps.Load(ref dck), TOps.Multiply(TOps.Multiply(dh, o), TOps.Subtract(one, TOps.Multiply(tc, tc))));
            ref T dik = ref Unsafe.Add(ref _di, k);
            TOps.Store(TOps.Multiply(TOps.Multiply(dct, g), TOps.Multiply(i, TOps.Subtract(one, i))), ref dik);
            TOps.Store(TOps.Multiply(TOps.Multiply(dct, TOps.Load(ref Unsafe.Add(ref _cPrev, k))), TOps.Multiply(f, TOps.Subtract(one, f))),
                ref Unsafe.Add(ref dik, _stride));
            TOps.Store(TOps.Multiply(TOps.Multiply(dct, i), TOps.Subtract(one, TOps.Multiply(g, g))), ref Unsafe.Add(ref dik, 2 * _stride));
            TOps.Store(TOps.Multiply(TOps.Multiply(dh, tc), TOps.Multiply(o, TOps.Subtract(one, o))), ref Unsafe.Add(ref dik, 3 * _stride));
            TOps.Store(TOps.Multiply(dct, f), ref dck);
        }
    }
}
