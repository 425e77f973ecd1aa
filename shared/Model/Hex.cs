namespace Embedded.Shared.Model
{
    /// <summary>Checksums in messages as 0x-prefixed hex, without format strings (not every nanoFramework build formats "X8").</summary>
    public static class Hex
    {
        /// <summary>"0x" and eight uppercase hex digits.</summary>
        public static string Format32(uint value)
        {
            char[] chars = new char[10];
            chars[0] = '0';
            chars[1] = 'x';
            for (int i = 9; i >= 2; i--)
            {
                int nibble = (int)(value & 0xF);
                chars[i] = (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
                value >>= 4;
            }
            return new string(chars);
        }
    }
}
