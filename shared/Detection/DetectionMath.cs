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
