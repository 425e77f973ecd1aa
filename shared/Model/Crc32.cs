namespace Embedded.Shared.Model
{
    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib and PNG compute it.</summary>
    public static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }
                table[n] = c;
            }
            return table;
        }

        /// <summary>CRC of <paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Start, data, offset, count));
        }

        /// <summary>Initial running value for incremental use with <see cref="Update"/> and <see cref="Finish"/>.</summary>
        public const uint Start = 0xFFFFFFFFu;

        /// <summary>Feeds bytes into a running CRC (start from <see cref="Start"/>).</summary>
        public static uint Update(uint running, byte[] data, int offset, int count)
        {
            uint[] table = Table;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                running = table[(running ^ data[i]) & 0xFF] ^ (running >> 8);
            }
            return running;
        }

        /// <summary>Final CRC value from a running one.</summary>
        public static uint Finish(uint running)
        {
            return running ^ 0xFFFFFFFFu;
        }
    }
}
