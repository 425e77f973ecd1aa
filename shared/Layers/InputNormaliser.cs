using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// Z-score normalisation in integers: x (InputFracBits) to (x - mean) / std as int16 in the model's
    /// NormalisedFracBits, by a per-feature multiplier and shift; saturates at the int16 range.
    /// </summary>
    public sealed class InputNormaliser : IInputNormaliser
    {
        private readonly int[] _means;
        private readonly int[] _multipliers;
        private readonly int[] _shifts;
        private readonly long[] _rounding;

        public InputNormaliser(ModelImage model)
        {
            _means = model.InputMeans;
            _multipliers = model.InputMultipliers;
            _shifts = model.InputShifts;
            _rounding = new long[_shifts.Length];
            for (int i = 0; i < _shifts.Length; i++)
            {
                _rounding[i] = _shifts[i] > 0 ? 1L << (_shifts[i] - 1) : 0L;
            }
        }

        public void Apply(int[] input, short[] normalised)
        {
            int[] means = _means;
            int[] multipliers = _multipliers;
            int[] shifts = _shifts;
            long[] rounding = _rounding;
            for (int i = 0; i < means.Length; i++)
            {
                // |x - mean| < 2^32 and multiplier < 2^15: the product fits in 64 bits.
                long value = (((long)input[i] - means[i]) * multipliers[i] + rounding[i]) >> shifts[i];
                if (value > 32767L) value = 32767L;
                else if (value < -32768L) value = -32768L;
                normalised[i] = (short)value;
            }
        }
    }
}
