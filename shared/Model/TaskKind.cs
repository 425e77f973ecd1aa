namespace Embedded.Shared.Model
{
    /// <summary>What the dense head's outputs mean. Stored in the model file header.</summary>
    public enum TaskKind : byte
    {
        /// <summary>Next value (or value k steps ahead) of one or more target columns, de-normalised.</summary>
        Forecast = 1,
        /// <summary>Many-to-one classification; outputs are logits.</summary>
        Classify = 2,
        /// <summary>Next-symbol prediction over a vocabulary; input is a symbol index, outputs are logits.</summary>
        NextSymbol = 3,
    }
}
