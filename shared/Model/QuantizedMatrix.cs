namespace Embedded.Shared.Model
{
    /// <summary>
    /// A weight matrix, row-major, int8 or int16, with a scale per output row given as an integer
    /// multiplier and right shift: real row scale (into the consumer's fixed point) = Multiplier / 2^Shift.
    /// Exactly one of Weights8 and Weights16 is non-null.
    /// </summary>
    public sealed class QuantizedMatrix
    {
        public QuantizedMatrix(int rows, int cols, sbyte[] weights8, short[] weights16, int[] multipliers, int[] shifts)
        {
            Rows = rows;
            Cols = cols;
            Weights8 = weights8;
            Weights16 = weights16;
            Multipliers = multipliers;
            Shifts = shifts;
        }

        public int Rows { get; private set; }
        public int Cols { get; private set; }
        public sbyte[] Weights8 { get; private set; }
        public short[] Weights16 { get; private set; }
        /// <summary>Per-row multiplier in [0, 32767].</summary>
        public int[] Multipliers { get; private set; }
        /// <summary>Per-row right shift in [0, 62].</summary>
        public int[] Shifts { get; private set; }

        /// <summary>
        /// The weight at (row, col) whatever its width: for load-time repacking (kernels that lay the
        /// weights out their own way), not for inner loops.
        /// </summary>
        public int Weight(int row, int col)
        {
            int index = row * Cols + col;
            return Weights8 != null ? Weights8[index] : Weights16[index];
        }

        /// <summary>Bytes per weight: 1 or 2.</summary>
        public int WeightBytes
        {
            get { return Weights8 != null ? 1 : 2; }
        }
    }
}
