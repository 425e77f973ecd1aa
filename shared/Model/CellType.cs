namespace Embedded.Shared.Model
{
    /// <summary>Recurrent cell of every layer in a model. Values are stored in the model file header.</summary>
    public enum CellType : byte
    {
        /// <summary>Elman RNN, tanh non-linearity (PyTorch nn.RNN).</summary>
        Rnn = 1,
        /// <summary>LSTM, PyTorch gate order i, f, g, o.</summary>
        Lstm = 2,
        /// <summary>GRU, PyTorch gate order r, z, n; reset gate applied to (W_hn h + b_hn).</summary>
        Gru = 3,
    }
}
