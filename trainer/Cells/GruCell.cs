using System.Numerics.Tensors;

namespace Embedded.Trainer.Cells;

/// <summary>
/// GRU (PyTorch nn.GRU), gate order r, z, n, with the reset gate applied to (W_hn h + b_hn):
/// r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n), h_t = (1 - z)·n + z·h_{t-1},
/// where x_* = W_i* x + b_i* and h_* = W_h* h_{t-1} + b_h*.
/// </summary>
public sealed class GruCell : IRecurrentCell
{
    public int Gates => 3;
    public bool HasCellState => false;

    public void Forward(ReadOnlySpan<double> gx, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        Span<double> act, Span<double> aux, Span<double> h, Span<double> c, int batch, int hidden)
    {
        int g3 = 3 * hidden, h2 = 2 * hidden;
        for (int b = 0; b < batch; b++)
        {
            Span<double> a = act.Slice(b * g3, g3);
            ReadOnlySpan<double> x = gx.Slice(b * g3, g3), hh = gh.Slice(b * g3, g3);
            TensorPrimitives.Add(x[..h2], hh[..h2], a[..h2]);
            TensorPrimitives.Sigmoid(a[..h2], a[..h2]);
            Span<double> n = a.Slice(h2, hidden), hn = aux.Slice(b * hidden, hidden);
            hh.Slice(h2, hidden).CopyTo(hn);
            TensorPrimitives.MultiplyAdd(a[..hidden], hn, x.Slice(h2, hidden), n);
            TensorPrimitives.Tanh(n, n);
            // h = n + z·(h_prev - n)
            Span<double> hb = h.Slice(b * hidden, hidden);
            TensorPrimitives.Subtract(hPrev.Slice(b * hidden, hidden), n, hb);
            TensorPrimitives.MultiplyAdd(a.Slice(hidden, hidden), hb, n, hb);
        }
    }

    public void Backward(ReadOnlySpan<double> act, ReadOnlySpan<double> aux, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> h, ReadOnlySpan<double> dh, Span<double> dc, Span<double> dGx, Span<double> dGh, Span<double> dhPrevDirect, int batch, int hidden)
    {
        int g3 = 3 * hidden;
        for (int b = 0; b < batch; b++)
        {
            int a0 = b * g3, s0 = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                double r = act[a0 + j], z = act[a0 + hidden + j], n = act[a0 + 2 * hidden + j];
                double dhj = dh[s0 + j], hn = aux[s0 + j];
                double dan = dhj * (1 - z) * (1 - n * n);
                double dar = dan * hn * r * (1 - r);
                double daz = dhj * (hPrev[s0 + j] - n) * z * (1 - z);
                dGx[a0 + j] = dar; dGh[a0 + j] = dar;
                dGx[a0 + hidden + j] = daz; dGh[a0 + hidden + j] = daz;
                dGx[a0 + 2 * hidden + j] = dan; dGh[a0 + 2 * hidden + j] = dan * r;
                dhPrevDirect[s0 + j] = dhj * z;
            }
        }
    }
}
