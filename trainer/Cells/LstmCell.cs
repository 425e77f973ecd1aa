using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    public void Forward(ReadOnlySpan<T> gx, int gxStride, ReadOnlySpan<T> gh, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        Span<T> act, Span<T> aux, Span<T> h, Span<T> c, int n)
    {
        for (int g = 0; g < 4; g++) TensorPrimitives.Add(gx.Slice(g * gxStride, n), gh.Slice(g * n, n), act.Slice(g * n, n));
        TensorPrimitives.Sigmoid(act[..(2 * n)], act[..(2 * n)]);
        TensorPrimitives.Tanh(act.Slice(2 * n, n), act.Slice(2 * n, n));
        TensorPrimitives.Sigmoid(act.Slice(3 * n, n), act.Slice(3 * n, n));
        ReadOnlySpan<T> i = act[..n], f = act.Slice(n, n), gg = act.Slice(2 * n, n), o = act.Slice(3 * n, n);
        Span<T> cn = c[..n], tc = aux[..n];
        TensorPrimitives.Multiply(f, cPrev[..n], cn);
        TensorPrimitives.MultiplyAdd(i, gg, cn, cn);
        TensorPrimitives.Tanh(cn, tc);
        TensorPrimitives.Multiply(o, tc, h[..n]);
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
