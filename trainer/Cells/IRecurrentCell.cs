using System.Numerics;

namespace Embedded.Trainer.Cells;

/// <summary>
/// The element-wise part of one recurrent cell for one time step over a batch, forward and backward side by side,
/// in float or double. The matrix products (x·W_ihᵀ + b_ih, h·W_hhᵀ + b_hh and their gradients) are done by
/// <see cref="RecurrentUnit{T}"/> for all cells alike; a cell sees the two pre-activations and returns their gradients.
/// Layouts are gate-major so every gate of the whole batch is one contiguous run of n = batch·H values (one vectorised
/// call per gate instead of one per sample): gate block g of gx/dGx starts at g·stride; gh and act hold their G blocks
/// back to back; h, c, aux, dh, dc are (batch × H). Gate order as PyTorch.
/// </summary>
public interface IRecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Gate blocks per step: 1 (RNN), 4 (LSTM i,f,g,o), 3 (GRU r,z,n).</summary>
    int Gates { get; }
    bool HasCellState { get; }
    /// <summary>True when the hidden-side gradient of a gate differs from the input-side one (GRU's n gate).</summary>
    bool SeparateHiddenGradient { get; }

    /// <summary>
    /// One step. <paramref name="act"/> (G·n) receives the gate activations and <paramref name="aux"/> (n) whatever else
    /// backward needs (tanh(c) for LSTM, W_hn·h + b_hn for GRU).
    /// </summary>
    void Forward(ReadOnlySpan<T> gx, int gxStride, ReadOnlySpan<T> gh, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev,
        Span<T> act, Span<T> aux, Span<T> h, Span<T> c, int n);

    /// <summary>
    /// Backward through one step. <paramref name="dh"/> is dL/dh_t; <paramref name="dc"/> holds dL/dc_t on entry and
    /// dL/dc_{t-1} on return (LSTM only). Writes the input-side pre-activation gradients (G blocks at <paramref name="dStride"/>;
    /// the hidden side is the same except GRU's n gate, written to <paramref name="dGhn"/>) and <paramref name="dhPrevDirect"/>,
    /// the part of dL/dh_{t-1} that does not pass through W_hh (GRU's z·dh; zero for the others).
    /// </summary>
    void Backward(ReadOnlySpan<T> act, ReadOnlySpan<T> aux, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> dh,
        Span<T> dc, Span<T> dGx, int dStride, Span<T> dGhn, Span<T> dhPrevDirect, int n);
}
