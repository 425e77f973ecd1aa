using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    public void Forward(ReadOnlySpan<T> gx, int gxStride, ReadOnlySpan<T> gh, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        Span<T> act, Span<T> aux, Span<T> h, Span<T> c, int n)
    {
        TensorPrimitives.Add(gx[..n], gh[..n], act[..n]);
        TensorPrimitives.Add(gx.Slice(gxStride, n), gh.Slice(n, n), act.Slice(n, n));
        TensorPrimitives.Sigmoid(act[..(2 * n)], act[..(2 * n)]);
        Span<T> nn = act.Slice(2 * n, n), hn = aux[..n];
        gh.Slice(2 * n, n).CopyTo(hn);
        TensorPrimitives.MultiplyAdd(act[..n], hn, gx.Slice(2 * gxStride, n), nn);
        TensorPrimitives.Tanh(nn, nn);
        // h = n + z·(h_prev - n)
        Span<T> hb = h[..n];
        TensorPrimitives.Subtract(hPrev[..n], nn, hb);
        TensorPrimitives.MultiplyAdd(act.Slice(n, n), hb, nn, hb);
    }

    public void Backward(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh,
        Span<T> dc, Span<T> dGx, int dStride, Span<T> dGhn, Span<T> dhPrevDirect, int n)
    {
        ref T R = ref MemoryMarshal.GetReference(act);
        ref T Z = ref Unsafe.Add(ref R, n);
        ref T N = ref Unsafe.Add(ref R, 2 * n);
        ref T HN = ref MemoryMarshal.GetReference(aux);
        ref T HP = ref MemoryMarshal.GetReference(hPrev);
        ref T DH = ref MemoryMarshal.GetReference(dh);
        ref T DR = ref MemoryMarshal.GetReference(dGx);
        ref T DZ = ref Unsafe.Add(ref DR, dStride);
        ref T DN = ref Unsafe.Add(ref DR, 2 * dStride);
        ref T DHN = ref MemoryMarshal.GetReference(dGhn);
        ref T DP = ref MemoryMarshal.GetReference(dhPrevDirect);
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            for (; k + Vector<T>.Count <= n; k += Vector<T>.Count)
            {
                nuint e = (nuint)k;
                var r = Vector.LoadUnsafe(ref R, e); var z = Vector.LoadUnsafe(ref Z, e); var nv = Vector.LoadUnsafe(ref N, e);
                var dhj = Vector.LoadUnsafe(ref DH, e);
                var dan = dhj * (one - z) * (one - nv * nv);
                (dan * Vector.LoadUnsafe(ref HN, e) * r * (one - r)).StoreUnsafe(ref DR, e);
                (dhj * (Vector.LoadUnsafe(ref HP, e) - nv) * z * (one - z)).StoreUnsafe(ref DZ, e);
                dan.StoreUnsafe(ref DN, e);
                (dan * r).StoreUnsafe(ref DHN, e);
                (dhj * z).StoreUnsafe(ref DP, e);
            }
        }
        for (; k < n; k++)
        {
            T r = Unsafe.Add(ref R, k), z = Unsafe.Add(ref Z, k), nv = Unsafe.Add(ref N, k), dhj = Unsafe.Add(ref DH, k);
            T dan = dhj * (T.One - z) * (T.One - nv * nv);
            Unsafe.Add(ref DR, k) = dan * Unsafe.Add(ref HN, k) * r * (T.One - r);
            Unsafe.Add(ref DZ, k) = dhj * (Unsafe.Add(ref HP, k) - nv) * z * (T.One - z);
            Unsafe.Add(ref DN, k) = dan;
            Unsafe.Add(ref DHN, k) = dan * r;
            Unsafe.Add(ref DP, k) = dhj * z;
        }
    }
}
