namespace Embedded.Trainer.Cells;

/// <summary>
/// The element-wise part of one recurrent cell for one time step over a batch, forward and backward side by
/// side. The matrix products (x·W_ihᵀ + b_ih, h·W_hhᵀ + b_hh and their gradients) are done by
/// <see cref="RecurrentUnit"/> for all cells alike; a cell sees the two pre-activations and returns their gradients.
/// Layouts: gx, gh, act, dGx, dGh are (batch × Gates·H) with PyTorch's gate blocks; h, c, aux, dh, dc are (batch × H).
/// </summary>
public interface IRecurrentCell
{
    /// <summary>Gate blocks per step: 1 (RNN), 4 (LSTM i,f,g,o), 3 (GRU r,z,n).</summary>
    int Gates { get; }
    bool HasCellState { get; }

    /// <summary>
    /// One step. <paramref name="act"/> receives the gate activations and <paramref name="aux"/> (batch × H)
    /// whatever else backward needs (tanh(c) for LSTM, W_hn·h + b_hn for GRU).
    /// </summary>
    void Forward(ReadOnlySpan<double> gx, ReadOnlySpan<double> gh, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        Span<double> act, Span<double> aux, Span<double> h, Span<double> c, int batch, int hidden);

    /// <summary>
    /// Backward through one step. <paramref name="dh"/> is dL/dh_t; <paramref name="dc"/> holds dL/dc_t on entry and
    /// dL/dc_{t-1} on return (LSTM only). Writes the pre-activation gradients of the input side (<paramref name="dGx"/>)
    /// and hidden side (<paramref name="dGh"/>; equal except for GRU's n gate) and <paramref name="dhPrevDirect"/>, the part of
    /// dL/dh_{t-1} that does not pass through W_hh (GRU's z·dh; zero for the others).
    /// </summary>
    void Backward(ReadOnlySpan<double> act, ReadOnlySpan<double> aux, ReadOnlySpan<double> hPrev, ReadOnlySpan<double> cPrev,
        ReadOnlySpan<double> h, ReadOnlySpan<double> dh, Span<double> dc, Span<double> dGx, Span<double> dGh, Span<double> dhPrevDirect, int batch, int hidden);
}
