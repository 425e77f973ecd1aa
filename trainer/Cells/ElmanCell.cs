using System.Numerics.Tensors;

namespace Embedded.Trainer.Cells;

/// <summary>Elman RNN with tanh (PyTorch nn.RNN): h_t = tanh(W_ih x + b_ih + W_hh h_{t-1} + b_hh).</summary>
public sealed class ElmanCell : IRecurrentCell
{
    public int Gates => 1;
    public bool HasCellState => false;

    public void Forward(ReadOnlySpan<double> gx, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        Span<double> act, Span<double> aux, Span<double> h, Span<double> c, int batch, int hidden)
    {
        int n = batch * hidden;
        TensorPrimitives.Add(gx[..n], gh[..n], act[..n]);
        TensorPrimitives.Tanh(act[..n], act[..n]);
        act[..n].CopyTo(h);
    }

    public void Backward(ReadOnlySpan<double> act, ReadOnlySpan<double> aux, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> h, ReadOnlySpan<double> dh, Span<double> dc, Span<double> dGx, Span<double> dGh, Span<double> dhPrevDirect, int batch, int hidden)
    {
        int n = batch * hidden;
        for (int i = 0; i < n; i++)
        {
            double y = act[i];
            dGx[i] = dh[i] * (1 - y * y);
        }
        dGx[..n].CopyTo(dGh);
        dhPrevDirect[..n].Clear();
    }
}
