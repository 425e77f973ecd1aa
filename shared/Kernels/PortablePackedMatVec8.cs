namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// int8 weights times int16 inputs, two rows per 64-bit multiply ("SIMD within a register").
    /// At load, rows 2p and 2p+1 are packed column by column into one long: W[2p, c] + W[2p+1, c] * 2^32.
    /// Then packed * x = W[2p, c]*x + W[2p+1, c]*x * 2^32 exactly, and the running sum carries both rows'
    /// dot products at once. Every row sum fits an int32 (|w| &lt;= 127, |x| &lt;= 2^15, width &lt;= 512 give
    /// |sum| &lt; 2^31), so the low 32 bits are the first row's sum and the rest, shifted down, the second's.
    /// Half the multiplies, loads and adds of <see cref="PortableMatVec8"/>, for 4 bytes of RAM per weight
    /// instead of 1 (the model image keeps its own 1-byte copy): the default where memory allows.
    /// </summary>
    public sealed class PortablePackedMatVec8 : IMatVec
    {
        // One array per row pair (not one flat array): the inner loop indexes every array with the loop
        // variable alone, which a JIT can prove in range once per loop instead of once per access.
        private readonly long[][] _pairs;
        private readonly int _rows;
        private readonly int _cols;

        public PortablePackedMatVec8(sbyte[] weights, int rows, int cols)
        {
            _rows = rows;
            _cols = cols;
            int pairCount = (rows + 1) >> 1;
            _pairs = new long[pairCount][];
            for (int p = 0; p < pairCount; p++)
            {
                int low = 2 * p * cols;
                int high = low + cols;
                bool hasHigh = 2 * p + 1 < rows;
                long[] packed = new long[cols];
                for (int c = 0; c < cols; c++)
                {
                    long value = weights[low + c];
                    if (hasHigh) value += (long)weights[high + c] << 32;
                    packed[c] = value;
                }
                _pairs[p] = packed;
            }
        }

        /// <summary>Bytes this kernel holds for an int8 matrix of the given shape (what the packing costs).</summary>
        public static int PackedBytes(int rows, int cols)
        {
            return ((rows + 1) >> 1) * cols * 8;
        }

        public void Multiply(short[] input, long[] accumulators)
        {
            // Four row pairs (eight rows) per pass: each input value is read once for eight rows. Passes take
            // whole pairs only; an odd last row (alone in its word) goes through the loop below.
            long[][] pairs = _pairs;
            int cols = _cols;
            int pairCount = pairs.Length;
            int wholePairs = _rows >> 1;
            int p = 0;
            for (; p + 4 <= wholePairs; p += 4)
            {
                long[] a0 = pairs[p];
                long[] a1 = pairs[p + 1];
                long[] a2 = pairs[p + 2];
                long[] a3 = pairs[p + 3];
                long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int c = 0; c < cols; c++)
                {
                    long x = input[c];
                    s0 += a0[c] * x;
                    s1 += a1[c] * x;
                    s2 += a2[c] * x;
                    s3 += a3[c] * x;
                }
                int r = p << 1;
                Unpack(s0, accumulators, r);
                Unpack(s1, accumulators, r + 2);
                Unpack(s2, accumulators, r + 4);
                Unpack(s3, accumulators, r + 6);
            }
            for (; p < pairCount; p++)
            {
                long[] a = pairs[p];
                long s = 0;
                for (int c = 0; c < cols; c++)
                {
                    s += a[c] * input[c];
                }
                int r = p << 1;
                int low = (int)s;
                accumulators[r] = low;
                if (r + 1 < _rows) accumulators[r + 1] = (s - low) >> 32;
            }
        }

        /// <summary>Splits a two-row sum: the low 32 bits (sign-extended) are row r, the rest row r + 1.</summary>
        private static void Unpack(long sum, long[] accumulators, int r)
        {
            int low = (int)sum;
            accumulators[r] = low;
            accumulators[r + 1] = (sum - low) >> 32;
        }
    }
}
