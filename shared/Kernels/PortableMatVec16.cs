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
            // Fields hoisted into locals: each field load costs on an IL interpreter. Unrolled by four:
            // fewer loop tests and branches per multiply-accumulate, on an interpreter and a JIT alike.
            short[] w = _weights;
            int rows = _rows;
            int cols = _cols;
            int blocked = cols & ~3;
            int index = 0;
            for (int r = 0; r < rows; r++)
            {
                long sum = 0;
                int c = 0;
                for (; c < blocked; c += 4)
                {
                    // Two products (each under 2^30) still fit an int32; four would not.
                    sum += w[index] * input[c] + w[index + 1] * input[c + 1];
                    sum += w[index + 2] * input[c + 2] + w[index + 3] * input[c + 3];
                    index += 4;
                }
                for (; c < cols; c++)
                {
                    sum += w[index++] * input[c];
                }
                accumulators[r] = sum;
            }
        }
    }
}
