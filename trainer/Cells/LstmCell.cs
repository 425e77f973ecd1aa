using System.Numerics.Tensors;

namespace Embedded.Trainer.Cells;

/// <summary>
/// LSTM (PyTorch nn.LSTM), gate order i, f, g, o:
/// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o) with a = W_ih x + b_ih + W_hh h + b_hh;
/// c_t = f·c_{t-1} + i·g, h_t = o·tanh(c_t).
/// </summary>
public sealed class LstmCell : IRecurrentCell
{
    public int Gates => 4;
    public bool HasCellState => true;

    public void Forward(ReadOnlySpan<double> gx, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        Span<double> act, Span<double> aux, Span<double> h, Span<double> c, int batch, int hidden)
    {
        int g4 = 4 * hidden;
        TensorPrimitives.Add(gx[..(batch * g4)], gh[..(batch * g4)], act[..(batch * g4)]);
        for (int b = 0; b < batch; b++)
        {
            Span<double> a = act.Slice(b * g4, g4);
            TensorPrimitives.Sigmoid(a[..(2 * hidden)], a[..(2 * hidden)]);
            TensorPrimitives.Tanh(a.Slice(2 * hidden, hidden), a.Slice(2 * hidden, hidden));
            TensorPrimitives.Sigmoid(a.Slice(3 * hidden, hidden), a.Slice(3 * hidden, hidden));
            ReadOnlySpan<double> i = a[..hidden], f = a.Slice(hidden, hidden), g = a.Slice(2 * hidden, hidden), o = a.Slice(3 * hidden, hidden);
            Span<double> cb = c.Slice(b * hidden, hidden), tc = aux.Slice(b * hidden, hidden);
            TensorPrimitives.Multiply(f, cPrev.Slice(b * hidden, hidden), cb);
            TensorPrimitives.MultiplyAdd(i, g, cb, cb);
            TensorPrimitives.Tanh(cb, tc);
            TensorPrimitives.Multiply(o, tc, h.Slice(b * hidden, hidden));
        }
    }

    public void Backward(ReadOnlySpan<double> act, ReadOnlySpan<double> aux, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> h, ReadOnlySpan<double> dh, Span<double> dc, Span<double> dGx, Span<double> dGh, Span<double> dhPrevDirect, int batch, int hidden)
    {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++)
        {
            int a0 = b * g4, s0 = b * hidden;
            for (int j = 0; j < hidden; j++)
            {
                double i = act[a0 + j], f = act[a0 + hidden + j], g = act[a0 + 2 * hidden + j], o = act[a0 + 3 * hidden + j];
                double tc = aux[s0 + j], dhj = dh[s0 + j];
                double dct = dc[s0 + j] + dhj * o * (1 - tc * tc);
                dGx[a0 + j] = dct * g * i * (1 - i);
                dGx[a0 + hidden + j] = dct * cPrev[s0 + j] * f * (1 - f);
                dGx[a0 + 2 * hidden + j] = dct * i * (1 - g * g);
                dGx[a0 + 3 * hidden + j] = dhj * tc * o * (1 - o);
                dc[s0 + j] = dct * f;
            }
        }
        dGx[..(batch * g4)].CopyTo(dGh);
        dhPrevDirect[..(batch * hidden)].Clear();
    }
}
