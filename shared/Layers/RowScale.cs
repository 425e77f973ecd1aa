using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// Per-row requantisation of exact matrix sums: value = bias + round(acc * multiplier / 2^shift),
    /// with the scaled term clamped to +-MaxBias so that two terms plus a bias always fit an int.
    /// </summary>
    public sealed class RowScale
    {
        private readonly int[] _multipliers;
        private readonly int[] _shifts;
        private readonly long[] _rounding;

        public RowScale(QuantizedMatrix matrix)
        {
            _multipliers = matrix.Multipliers;
            _shifts = matrix.Shifts;
            int rows = matrix.Rows;
            _rounding = new long[rows];
            for (int r = 0; r < rows; r++)
            {
                int shift = _shifts[r];
                _rounding[r] = shift > 0 ? 1L << (shift - 1) : 0L;
            }
        }

        /// <summary>target[r] = bias[r] + clamp(round(acc[r] * m[r] / 2^s[r])), for r in [0, count).</summary>
        public void Apply(long[] accumulators, int[] bias, int[] target, int count)
        {
            int[] multipliers = _multipliers;
            int[] shifts = _shifts;
            long[] rounding = _rounding;
            const long limit = ModelFormat.MaxBias;
            for (int r = 0; r < count; r++)
            {
                long scaled = (accumulators[r] * multipliers[r] + rounding[r]) >> shifts[r];
                if (scaled > limit) scaled = limit;
                else if (scaled < -limit) scaled = -limit;
                target[r] = bias[r] + (int)scaled;
            }
        }
    }
}
