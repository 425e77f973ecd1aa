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

        public DenseLayer(QuantizedMatrix weights, int[] offsets, IKernel kernel)
        {
            _weights = kernel.Create(weights);
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
            _weights.Multiply(input, sums);
            for (int r = 0; r < sums.Length; r++)
            {
                long value = ((sums[r] * multipliers[r] + rounding[r]) >> shifts[r]) + offsets[r];
                output[r] = Saturate.ToInt32(value);
            }
        }
    }
}
