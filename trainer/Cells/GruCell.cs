using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Cells;

/// <summary>
/// GRU (PyTorch nn.GRU), gate order r, z, n, with the reset gate applied to (W_hn h + b_hn):
/// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n), h_t = (1 - z)·n + z·h_{t-1},
/// where x_* = W_i* x + b_i* and h_* = W_h* h_{t-1} + b_h*.
/// </summary>
public sealed class GruCell<T> : IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Gates => 3;
    public bool HasCellState => false;
    public bool SeparateHiddenGradient => true;
    public int DoubledGate => -1;
    public int SummedGates => 2;

    public void Forward(ReadOnlySpan<T> xn, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        Span<T> act, Span<T> aux, Span<T> h, Span<T> c, int n)
    {
        TensorPrimitives.Sigmoid(act[..(2 * n)], act[..(2 * n)]);
        Span<T> nn = act.Slice(2 * n, n), hn = aux[..n];
        TensorPrimitives.MultiplyAdd(act[..n], hn, xn[..n], nn);
        TensorPrimitives.Tanh(nn, nn);
        // h = n + z·(h_prev - n)
        Span<T> hb = h[..n];
        TensorPrimitives.Subtract(hPrev[..n], nn, hb);
        TensorPrimitives.MultiplyAdd(act.Slice(n, n), hb, nn, hb);
    }

    public void Backward(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh,
        Span<T> dc, Span<T> dGx, int dStride, Span<T> dGhn, Span<T> dhPrevDirect, int n)
    {
        var body = new BackwardBody(act, aux, hPrev, dh, dGx, dStride, dGhn, dhPrevDirect, n);
        ElementwiseLoop.Run<T, BackwardBody>(ref body, n);
    }

    /// <summary>da_n = dh·(1 - z)·(1 - n²); the r, z, n gradients, W_hn's (da_n·r) and the direct path z·dh.</summary>
    private readonly ref struct BackwardBody(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> dh,
        Span<T> dGx, int dStride, Span<T> dGhn, Span<T> dhPrevDirect, int n) : IElementwiseBody<T>
    {
        private readonly ref T _r = ref MemoryMarshal.GetReference(act);
        private readonly int _n = n, _stride = dStride;
        private readonly ref T _hn = ref MemoryMarshal.GetReference(aux);
        private readonly ref T _hPrev = ref MemoryMarshal.GetReference(hPrev);
        private readonly ref T _dh = ref MemoryMarshal.GetReference(dh);
        private readonly ref T _dr = ref MemoryMarshal.GetReference(dGx);
        private readonly ref T _dhn = ref MemoryMarshal.GetReference(dGhn);
        private readonly ref T _direct = ref MemoryMarshal.GetReference(dhPrevDirect);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TV, TOps>(int k) where TV : struct where TOps : IVectorOps<T, TV>
        {
            TV one = TOps.Broadcast(T.One);
            ref T rk = ref Unsafe.Add(ref _r, k);
            TV r = TOps.Load(ref rk), z = TOps.Load(ref Unsafe.Add(ref rk, _n)), nv = TOps.Load(ref Unsafe.Add(ref rk, 2 * _n));
            TV dh = TOps.Load(ref Unsafe.Add(ref _dh, k));
            TV dan = TOps.Multiply(TOps.Multiply(dh, TOps.Subtract(one, z)), TOps.Subtract(one, TOps.Multiply(nv, nv)));
            ref T drk = ref Unsafe.Add(ref _dr, k);
            TOps.Store(TOps.Multiply(TOps.Multiply(dan, TOps.Load(ref Unsafe.Add(ref _hn, k))), TOps.Multiply(r, TOps.Subtract(one, r))), ref drk);
            TOps.Store(TOps.Multiply(TOps.Multiply(dh, TOps.Subtract(TOps.Load(ref Unsafe.Add(ref _hPrev, k)), nv)), TOps.Multiply(z, TOps.Subtract(one, z))),
                ref Unsafe.Add(ref drk, _stride));
            TOps.Store(dan, ref Unsafe.Add(ref drk, 2 * _stride));
            TOps.Store(TOps.Multiply(dan, r), ref Unsafe.Add(ref _dhn, k));
            TOps.Store(TOps.Multiply(dh, z), ref Unsafe.Add(ref _direct, k));
        }
    }
}
