using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// The dense head: y = W h + offset, with the target de-normalisation folded into the row scales
    /// and offsets, so the result is already in the model's output fixed point. Saturates at int32.
    /// </summary>
    public sealed class DenseLayer
    {
        private readonly IMatVec _weights;
        private readonly int[] _multipliers;
        private readonly int[] _shifts;
        private readonly long[] _rounding;
        private readonly int[] _offsets;
        private readonly long[] _sums;
        // PortableKernel within its per-matrix budget: one array per row, multiplied here (no interface call, four
        // columns per iteration, requantised in the same loop). Exact sums either way, so the same bits.
        private readonly short[][] _rows16;
        private readonly sbyte[][] _rows8;
        private readonly int _cols;

        public DenseLayer(QuantizedMatrix weights, int[] offsets, IKernel kernel)
        {
            PortableKernel portable = kernel as PortableKernel;
            long copyBytes = (long)weights.Rows * weights.Cols * (weights.Weights8 != null ? 1 : 2);
            if (portable != null && copyBytes <= portable.MaxBytesPerMatrix)
            {
                _cols = weights.Cols;
                if (weights.Weights8 != null) _rows8 = new sbyte[weights.Rows][];
                else _rows16 = new short[weights.Rows][];
                for (int r = 0; r < weights.Rows; r++)
                {
                    if (_rows8 != null)
                    {
                        _rows8[r] = new sbyte[_cols];
                        System.Array.Copy(weights.Weights8, r * _cols, _rows8[r], 0, _cols);
                    }
                    else
                    {
                        _rows16[r] = new short[_cols];
                        System.Array.Copy(weights.Weights16, r * _cols, _rows16[r], 0, _cols);
                    }
                }
            }
            else
            {
                _weights = kernel.Create(weights);
            }
            _multipliers = weights.Multipliers;
            _shifts = weights.Shifts;
            _offsets = offsets;
            int rows = weights.Rows;
            _sums = new long[rows];
            _rounding = new long[rows];
            for (int r = 0; r < rows; r++)
            {
                _rounding[r] = _shifts[r] > 0 ? 1L << (_shifts[r] - 1) : 0L;
            }
        }

        /// <summary>Writes one output per row into <paramref name="output"/>.</summary>
        public void Step(short[] input, int[] output)
        {
            long[] sums = _sums;
            int[] multipliers = _multipliers;
            int[] shifts = _shifts;
            long[] rounding = _rounding;
            int[] offsets = _offsets;
            if (_weights == null)
            {
                StepRows(input, output);
                return;
            }
            _weights.Multiply(input, sums);
            for (int r = 0; r < sums.Length; r++)
            {
                long value = ((sums[r] * multipliers[r] + rounding[r]) >> shifts[r]) + offsets[r];
                output[r] = Saturate.ToInt32(value);
            }
        }

        private void StepRows(short[] input, int[] output)
        {
            short[][] rows16 = _rows16;
            sbyte[][] rows8 = _rows8;
            int[] multipliers = _multipliers;
            int[] shifts = _shifts;
            long[] rounding = _rounding;
            int[] offsets = _offsets;
            int count = _sums.Length;
            int cols = _cols;
            int quads = cols & ~3;
            int x0 = 0, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0, x6 = 0, x7 = 0, x8 = 0, x9 = 0, x10 = 0, x11 = 0, x12 = 0, x13 = 0, x14 = 0, x15 = 0;
            if (cols == 16)
            {
                x0 = input[0];
                x1 = input[1];
                x2 = input[2];
                x3 = input[3];
                x4 = input[4];
                x5 = input[5];
                x6 = input[6];
                x7 = input[7];
                x8 = input[8];
                x9 = input[9];
                x10 = input[10];
                x11 = input[11];
                x12 = input[12];
                x13 = input[13];
                x14 = input[14];
                x15 = input[15];
            }
            for (int r = 0; r < count; r++)
            {
                long sum = 0;
                int c = 0;
                if (cols == 16)
                {
                    // The usual forecaster's head: the state read once into locals, the products written out.
                    if (rows16 != null)
                    {
                        short[] w = rows16[r];
                        sum = (long)(w[0] * x0 + w[1] * x1) + (w[2] * x2 + w[3] * x3) + (w[4] * x4 + w[5] * x5) + (w[6] * x6 + w[7] * x7) + (w[8] * x8 + w[9] * x9) + (w[10] * x10 + w[11] * x11) + (w[12] * x12 + w[13] * x13) + (w[14] * x14 + w[15] * x15);
                    }
                    else
                    {
                        sbyte[] w = rows8[r];
                        sum = w[0] * x0 + w[1] * x1 + w[2] * x2 + w[3] * x3 + w[4] * x4 + w[5] * x5 + w[6] * x6 + w[7] * x7 + w[8] * x8 + w[9] * x9 + w[10] * x10 + w[11] * x11 + w[12] * x12 + w[13] * x13 + w[14] * x14 + w[15] * x15;
                    }
                }
                else if (rows16 != null)
                {
                    short[] w = rows16[r];
                    for (; c < quads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        sum += (long)(w[c] * input[c] + w[d] * input[d]) + (w[e] * input[e] + w[f] * input[f]);
                    }
                    for (; c < cols; c++)
                    {
                        sum += w[c] * input[c];
                    }
                }
                else
                {
                    sbyte[] w = rows8[r];
                    int small = 0;
                    for (; c < quads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        small += w[c] * input[c] + w[d] * input[d] + w[e] * input[e] + w[f] * input[f];
                    }
                    for (; c < cols; c++)
                    {
                        small += w[c] * input[c];
                    }
                    sum = small;
                }
                long value = ((sum * multipliers[r] + rounding[r]) >> shifts[r]) + offsets[r];
                if (value > 2147483647L) value = 2147483647L;
                else if (value < -2147483648L) value = -2147483648L;
                output[r] = (int)value;
            }
        }
    }
}
