namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// int8 weights times int16 inputs, straight from the model's bytes (no extra RAM; see PortablePackedMatVec8 for
    /// the faster packed form). |w| &lt;= 127 and width &lt;= 512 keep every row sum inside int32,
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
            // Four rows at a time: each input value is loaded once for four rows (an array access and a
            // bounds check saved per multiply-accumulate, on the nanoFramework interpreter and on a JIT),
            // and two columns per iteration halve the loop tests. Fields are hoisted into locals.
            // int8 rows fit an int32 whole.
            sbyte[] w = _weights;
            int rows = _rows;
            int cols = _cols;
            int pairs = cols & ~1;
            int r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                int i0 = r * cols;
                int i1 = i0 + cols;
                int i2 = i1 + cols;
                int i3 = i2 + cols;
                int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int c = 0;
                for (; c < pairs; c += 2)
                {
                    int x = input[c];
                    int y = input[c + 1];
                    s0 += w[i0 + c] * x + w[i0 + c + 1] * y;
                    s1 += w[i1 + c] * x + w[i1 + c + 1] * y;
                    s2 += w[i2 + c] * x + w[i2 + c + 1] * y;
                    s3 += w[i3 + c] * x + w[i3 + c + 1] * y;
                }
                if (c < cols)
                {
                    int x = input[c];
                    s0 += w[i0 + c] * x;
                    s1 += w[i1 + c] * x;
                    s2 += w[i2 + c] * x;
                    s3 += w[i3 + c] * x;
                }
                accumulators[r] = s0;
                accumulators[r + 1] = s1;
                accumulators[r + 2] = s2;
                accumulators[r + 3] = s3;
            }
            for (; r < rows; r++)
            {
                int index = r * cols;
                int sum = 0;
                for (int c = 0; c < cols; c++)
                {
                    sum += w[index + c] * input[c];
                }
                accumulators[r] = sum;
            }
        }
    }
}
