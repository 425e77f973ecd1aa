namespace Embedded.Shared.Model
{
    /// <summary>
    /// One recurrent layer as stored: input and recurrent matrices (G*H rows, PyTorch gate order) and
    /// both PyTorch biases in Q12. Kept apart because GRU applies the reset gate to (W_hn h + b_hn).
    /// </summary>
    public sealed class RecurrentLayerParameters
    {
        public RecurrentLayerParameters(QuantizedMatrix input, QuantizedMatrix recurrent, int[] inputBias, int[] recurrentBias)
        {
            Input = input;
            Recurrent = recurrent;
            InputBias = inputBias;
            RecurrentBias = recurrentBias;
        }

        /// <summary>W_ih: rows G*H, cols = this layer's input width; scales map to Q12.</summary>
        public QuantizedMatrix Input { get; private set; }
        /// <summary>W_hh: rows G*H, cols H; scales map to Q12.</summary>
        public QuantizedMatrix Recurrent { get; private set; }
        /// <summary>b_ih in Q12.</summary>
        public int[] InputBias { get; private set; }
        /// <summary>b_hh in Q12.</summary>
        public int[] RecurrentBias { get; private set; }
    }
}
