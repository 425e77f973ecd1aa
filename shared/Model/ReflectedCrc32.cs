namespace Embedded.Shared.Model
{
    /// <summary>
    /// Table-driven reflected CRC-32 for any polynomial: the one implementation behind
    /// <see cref="Crc32"/> (IEEE) and Embedded.Shared.Flashing.Crc32C (Castagnoli).
    /// </summary>
    public static class ReflectedCrc32
    {
        /// <summary>The 256-entry byte table of a reflected polynomial (e.g. 0xEDB88320).</summary>
        public static uint[] BuildTable(uint polynomial)
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? polynomial ^ (c >> 1) : c >> 1;
                }
                table[n] = c;
            }
            return table;
        }

        /// <summary>Feeds <paramref name="count"/> bytes from <paramref name="offset"/> into a running CRC.</summary>
        public static uint Update(uint[] table, uint running, byte[] data, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                running = table[(running ^ data[i]) & 0xFF] ^ (running >> 8);
            }
            return running;
        }
    }
}
