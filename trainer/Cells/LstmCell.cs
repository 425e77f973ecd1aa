using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Embedded.Trainer.Cells;

/// <summary>
/// LSTM (PyTorch nn.LSTM), gate order i, f, g, o:
/// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o) with a = W_ih x + b_ih + W_hh h + b_hh;
/// c_t = f·c_{t-1} + i·g, h_t = o·tanh(c_t).
/// </summary>
public sealed class LstmCell<T> : IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Gates => 4;
    public bool HasCellState => true;
    public bool SeparateHiddenGradient => false;
    public int DoubledGate => 2;
    public int SummedGates => 4;

    public void Forward(ReadOnlySpan<T> xn, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        Span<T> act, Span<T> aux, Span<T> h, Span<T> c, int n)
    {
        // One sigmoid pass over all four gates; the g block arrives as 2·a_g (see DoubledGate), so tanh(a_g) = 2·σ(2·a_g) - 1.
        TensorPrimitives.Sigmoid(act[..(4 * n)], act[..(4 * n)]);
        Span<T> cn = c[..n], tc = aux[..n];
        CellUpdate(act, cPrev, cn, n);
        ReadOnlySpan<T> o = act.Slice(3 * n, n);
        TensorPrimitives.Tanh(cn, tc);
        TensorPrimitives.Multiply(o, tc, h[..n]);
    }

    /// <summary>One pass: g = 2·σ - 1 (stored back for backward), c = f·c_prev + i·g.</summary>
    private static void CellUpdate(Span<T> act, ReadOnlySpan<T> cPrev, Span<T> c, int n)
    {
        ref T I = ref MemoryMarshal.GetReference(act);
        ref T F = ref Unsafe.Add(ref I, n);
        ref T G = ref Unsafe.Add(ref I, 2 * n);
        ref T CP = ref MemoryMarshal.GetReference(cPrev);
        ref T C = ref MemoryMarshal.GetReference(c);
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<T>.One;
            for (; k + Vector512<T>.Count <= n; k += Vector512<T>.Count)
            {
                nuint e = (nuint)k;
                var g = Vector512.LoadUnsafe(ref G, e);
                g = g + g - one;
                g.StoreUnsafe(ref G, e);
                (Vector512.LoadUnsafe(ref F, e) * Vector512.LoadUnsafe(ref CP, e) + Vector512.LoadUnsafe(ref I, e) * g).StoreUnsafe(ref C, e);
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            for (; k + Vector<T>.Count <= n; k += Vector<T>.Count)
            {
                nuint e = (nuint)k;
                var g = Vector.LoadUnsafe(ref G, e);
                g = g + g - one;
                g.StoreUnsafe(ref G, e);
                (Vector.LoadUnsafe(ref F, e) * Vector.LoadUnsafe(ref CP, e) + Vector.LoadUnsafe(ref I, e) * g).StoreUnsafe(ref C, e);
            }
        }
        for (; k < n; k++)
        {
            T g = Unsafe.Add(ref G, k) + Unsafe.Add(ref G, k) - T.One;
            Unsafe.Add(ref G, k) = g;
            Unsafe.Add(ref C, k) = Unsafe.Add(ref F, k) * Unsafe.Add(ref CP, k) + Unsafe.Add(ref I, k) * g;
        }
    }

    public void Backward(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh,
        Span<T> dc, Span<T> dGx, int dStride, Span<T> dGhn, Span<T> dhPrevDirect, int n)
    {
        ref T I = ref MemoryMarshal.GetReference(act);
        ref T F = ref Unsafe.Add(ref I, n);
        ref T G = ref Unsafe.Add(ref I, 2 * n);
        ref T O = ref Unsafe.Add(ref I, 3 * n);
        ref T TC = ref MemoryMarshal.GetReference(aux);
        ref T CP = ref MemoryMarshal.GetReference(cPrev);
        ref T DH = ref MemoryMarshal.GetReference(dh);
        ref T DC = ref MemoryMarshal.GetReference(dc);
        ref T DI = ref MemoryMarshal.GetReference(dGx);
        ref T DF = ref Unsafe.Add(ref DI, dStride);
        ref T DG = ref Unsafe.Add(ref DI, 2 * dStride);
        ref T DO = ref Unsafe.Add(ref DI, 3 * dStride);
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<T>.One;
            for (; k + Vector512<T>.Count <= n; k += Vector512<T>.Count)
            {
                nuint e = (nuint)k;
                var i = Vector512.LoadUnsafe(ref I, e); var f = Vector512.LoadUnsafe(ref F, e);
                var g = Vector512.LoadUnsafe(ref G, e); var o = Vector512.LoadUnsafe(ref O, e);
                var tc = Vector512.LoadUnsafe(ref TC, e); var dhj = Vector512.LoadUnsafe(ref DH, e);
                var dct = Vector512.LoadUnsafe(ref DC, e) + dhj * o * (one - tc * tc);
                (dct * g * i * (one - i)).StoreUnsafe(ref DI, e);
                (dct * Vector512.LoadUnsafe(ref CP, e) * f * (one - f)).StoreUnsafe(ref DF, e);
                (dct * i * (one - g * g)).StoreUnsafe(ref DG, e);
                (dhj * tc * o * (one - o)).StoreUnsafe(ref DO, e);
                (dct * f).StoreUnsafe(ref DC, e);
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            for (; k + Vector<T>.Count <= n; k += Vector<T>.Count)
            {
                nuint e = (nuint)k;
                var i = Vector.LoadUnsafe(ref I, e); var f = Vector.LoadUnsafe(ref F, e);
                var g = Vector.LoadUnsafe(ref G, e); var o = Vector.LoadUnsafe(ref O, e);
                var tc = Vector.LoadUnsafe(ref TC, e); var dhj = Vector.LoadUnsafe(ref DH, e);
                var dct = Vector.LoadUnsafe(ref DC, e) + dhj * o * (one - tc * tc);
                (dct * g * i * (one - i)).StoreUnsafe(ref DI, e);
                (dct * Vector.LoadUnsafe(ref CP, e) * f * (one - f)).StoreUnsafe(ref DF, e);
                (dct * i * (one - g * g)).StoreUnsafe(ref DG, e);
                (dhj * tc * o * (one - o)).StoreUnsafe(ref DO, e);
                (dct * f).StoreUnsafe(ref DC, e);
            }
        }
        for (; k < n; k++)
        {
            T i = Unsafe.Add(ref I, k), f = Unsafe.Add(ref F, k), g = Unsafe.Add(ref G, k), o = Unsafe.Add(ref O, k);
            T tc = Unsafe.Add(ref TC, k), dhj = Unsafe.Add(ref DH, k);
            T dct = Unsafe.Add(ref DC, k) + dhj * o * (T.One - tc * tc);
            Unsafe.Add(ref DI, k) = dct * g * i * (T.One - i);
            Unsafe.Add(ref DF, k) = dct * Unsafe.Add(ref CP, k) * f * (T.One - f);
            Unsafe.Add(ref DG, k) = dct * i * (T.One - g * g);
            Unsafe.Add(ref DO, k) = dhj * tc * o * (T.One - o);
            Unsafe.Add(ref DC, k) = dct * f;
        }
        dhPrevDirect[..n].Clear();
    }
}
