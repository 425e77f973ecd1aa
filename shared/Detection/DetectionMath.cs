namespace Embedded.Shared.Detection
{
    /// <summary>
    /// Integer helpers for the detector. System.Math on nanoFramework lacks long overloads (Math.Abs(long)
    /// would bind to float), so these are written out.
    /// </summary>
    public static class DetectionMath
    {
        public static long Abs(long value)
        {
            return value < 0 ? -value : value;
        }

        public static long Clamp(long value, long low, long high)
        {
            if (value < low) return low;
            if (value > high) return high;
            return value;
        }

        /// <summary>
        /// log10(n) in Q16 (65536 = 1) for n >= 1 (0 for n <= 1), integer only so the PC and a device agree to
        /// the bit: the integer part of log2(n), 16 fraction bits by repeated squaring of the mantissa, then
        /// times log10(2). Within 1/65536 of the exact value.
        /// </summary>
        public static int Log10Q16(int n)
        {
            if (n <= 1) return 0;
            int whole = 0;
            while ((n >> (whole + 1)) != 0) whole++;
            long mantissa = ((long)n << 30) >> whole;   // n / 2^whole in Q30, in [1, 2)
            int fraction = 0;
            for (int bit = 15; bit >= 0; bit--)
            {
                mantissa = (mantissa * mantissa) >> 30;
                if (mantissa >= (2L << 30))
                {
                    mantissa >>= 1;
                    fraction |= 1 << bit;
                }
            }
            long log2 = ((long)whole << 16) | (long)fraction;
            return (int)((log2 * 323228497L + (1L << 29)) >> 30);   // log10(2) = 323228497 / 2^30
        }

        /// <summary>Floor of the square root of a non-negative long (0 for negatives), bit by bit.</summary>
        public static long Sqrt(long value)
        {
            if (value <= 0) return 0;
            long result = 0;
            long bit = 1L << 62;
            while (bit > value) bit >>= 2;
            while (bit != 0)
            {
                if (value >= result + bit)
                {
                    value -= result + bit;
                    result = (result >> 1) + bit;
                }
                else
                {
                    result >>= 1;
                }
                bit >>= 2;
            }
            return result;
        }
    }
}
