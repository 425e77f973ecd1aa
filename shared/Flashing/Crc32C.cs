namespace Embedded.Shared.Flashing
{
    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as iSCSI and ext4 compute it.</summary>
    public static class Crc32C
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
                    c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
                }
                table[n] = c;
            }
            return table;
        }

        /// <summary>Initial running value for <see cref="Update"/>.</summary>
        public const uint Start = 0xFFFFFFFFu;

        /// <summary>Feeds bytes into a running CRC.</summary>
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

        /// <summary>CRC-32C of a byte range.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Start, data, offset, count));
        }
    }
}
