namespace Embedded.Shared.Kernels
{
    /// <summary>int16 weights times int16 inputs, 64-bit row sums (each product needs up to 30 bits).</summary>
    public sealed class PortableMatVec16 : IMatVec
    {
        private readonly short[] _weights;
        private readonly int _rows;
        private readonly int _cols;

        public PortableMatVec16(short[] weights, int rows, int cols)
        {
            _weights = weights;
            _rows = rows;
            _cols = cols;
        }

        public void Multiply(short[] input, long[] accumulators)
        {
            short[] w = _weights;
            int rows = _rows;
            int cols = _cols;
            int index = 0;
            for (int r = 0; r < rows; r++)
            {
                long sum = 0;
                for (int c = 0; c < cols; c++)
                {
                    // Each product fits int32; only the running sum needs 64 bits.
                    sum += w[index++] * input[c];
                }
                accumulators[r] = sum;
            }
        }
    }
}
