namespace Embedded.Shared.Fixed
{
    /// <summary>
    /// Saturating conversions and long helpers. Written by hand because nanoFramework's System.Math has
    /// no long overloads (Math.Abs(long) would silently bind to the float one there).
    /// </summary>
    public static class Saturate
    {
        /// <summary>Clamps to [-32768, 32767].</summary>
        public static short ToInt16(int value)
        {
            if (value > 32767) return 32767;
            if (value < -32768) return -32768;
            return (short)value;
        }

        /// <summary>Clamps to [-32768, 32767].</summary>
        public static short ToInt16(long value)
        {
            if (value > 32767L) return 32767;
            if (value < -32768L) return -32768;
            return (short)value;
        }

        /// <summary>Clamps to the int range.</summary>
        public static int ToInt32(long value)
        {
            if (value > 2147483647L) return 2147483647;
            if (value < -2147483648L) return -2147483648;
            return (int)value;
        }

        /// <summary>Clamps to [-limit, limit] (limit &gt;= 0).</summary>
        public static long Clamp(long value, long limit)
        {
            if (value > limit) return limit;
            if (value < -limit) return -limit;
            return value;
        }

        /// <summary>|value|, saturating long.MinValue to long.MaxValue.</summary>
        public static long Abs(long value)
        {
            if (value >= 0) return value;
            if (value == -9223372036854775807L - 1L) return 9223372036854775807L;
            return -value;
        }

        /// <summary>Rounding arithmetic right shift of (value * multiplier): value * multiplier / 2^shift, nearest.</summary>
        public static long MultiplyShift(long value, int multiplier, int shift)
        {
            long product = value * multiplier;
            if (shift == 0) return product;
            return (product + (1L << (shift - 1))) >> shift;
        }
    }
}
