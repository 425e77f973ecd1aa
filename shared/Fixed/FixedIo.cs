namespace Embedded.Shared.Fixed
{
    /// <summary>
    /// Conversions at the boundary between sensor values and the fixed-point runtime. Not used in the
    /// step path (they use floating point); the step path takes and returns the integers they produce.
    /// </summary>
    public static class FixedIo
    {
        /// <summary>Rounds value * 2^fracBits to the nearest int, saturating at int range; NaN maps to 0.</summary>
        public static int ToFixed(double value, int fracBits)
        {
            double scaled = value * (double)(1L << fracBits);
            if (double.IsNaN(scaled)) return 0;
            if (scaled >= 2147483647.0) return int.MaxValue;
            if (scaled <= -2147483648.0) return int.MinValue;
            return (int)(scaled >= 0 ? scaled + 0.5 : scaled - 0.5);
        }

        /// <summary>value / 2^fracBits.</summary>
        public static double ToDouble(int value, int fracBits)
        {
            return value / (double)(1L << fracBits);
        }
    }
}
