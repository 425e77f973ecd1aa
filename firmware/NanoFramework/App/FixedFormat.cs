namespace Embedded.Firmware
{
    /// <summary>
    /// Integer-only number formatting for status lines (nanoFramework's numeric format strings vary
    /// between versions; this does not).
    /// </summary>
    public static class FixedFormat
    {
        /// <summary>A fixed-point value as a decimal with three decimals, e.g. -1.250.</summary>
        public static string Decimal3(int value, int fracBits)
        {
            bool negative = value < 0;
            long magnitude = negative ? -(long)value : value;
            magnitude = (magnitude * 1000 + ((1L << fracBits) >> 1)) >> fracBits;
            if (magnitude == 0) negative = false;
            long whole = magnitude / 1000;
            int fraction = (int)(magnitude % 1000);
            string digits = fraction < 10 ? "00" + fraction.ToString() : fraction < 100 ? "0" + fraction.ToString() : fraction.ToString();
            return (negative ? "-" : "") + whole.ToString() + "." + digits;
        }

        /// <summary>Eight uppercase hex digits.</summary>
        public static string Hex32(uint value)
        {
            char[] chars = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                int nibble = (int)(value & 0xF);
                chars[i] = (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
                value >>= 4;
            }
            return new string(chars);
        }
    }
}
