namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// int8 weights times int16 inputs. |w| &lt;= 127 and width &lt;= 512 keep every row sum inside int32,
    /// so the inner loop uses a 32-bit accumulator (cheap on a 32-bit MCU interpreter).
    /// </summary>
    public sealed class PortableMatVec8 : IMatVec
    {
        private readonly sbyte[] _weights;
        private readonly int _rows;
        private readonly int _cols;

        public PortableMatVec8(sbyte[] weights, int rows, int cols)
        {
            _weights = weights;
            _rows = rows;
            _cols = cols;
        }

        public void Multiply(short[] input, long[] accumulators)
        {
            // Fields hoisted into locals: each field load costs on an IL interpreter. Unrolled by four:
            // fewer loop tests and branches per multiply-accumulate, on an interpreter and a JIT alike.
            sbyte[] w = _weights;
            int rows = _rows;
            int cols = _cols;
            int blocked = cols & ~3;
            int index = 0;
            for (int r = 0; r < rows; r++)
            {
                int sum = 0;
                int c = 0;
                for (; c < blocked; c += 4)
                {
                    sum += w[index] * input[c] + w[index + 1] * input[c + 1] + w[index + 2] * input[c + 2] + w[index + 3] * input[c + 3];
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
