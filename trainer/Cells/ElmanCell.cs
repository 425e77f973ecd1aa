using System.Numerics;
using System.Numerics.Tensors;

namespace Embedded.Trainer.Cells;

/// <summary>Elman RNN with tanh (PyTorch nn.RNN): h_t = tanh(W_ih x + b_ih + W_hh h_{t-1} + b_hh).</summary>
public sealed class ElmanCell<T> : IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Gates => 1;
    public bool HasCellState => false;
    public bool SeparateHiddenGradient => false;

    public void Forward(ReadOnlySpan<T> gx, int gxStride, ReadOnlySpan<T> gh, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        Span<T> act, Span<T> aux, Span<T> h, Span<T> c, int n)
    {
        TensorPrimitives.Add(gx[..n], gh[..n], act[..n]);
        TensorPrimitives.Tanh(act[..n], act[..n]);
        act[..n].CopyTo(h);
    }

    public void Backward(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh,
        Span<T> dc, Span<T> dGx, int dStride, Span<T> dGhn, Span<T> dhPrevDirect, int n)
    {
        // dG = dh·(1 - y²)
        Span<T> d = dGx[..n];
        TensorPrimitives.Multiply(act[..n], act[..n], d);
        TensorPrimitives.Subtract(T.One, d, d);
        TensorPrimitives.Multiply(d, dh[..n], d);
        dhPrevDirect[..n].Clear();
    }
}
