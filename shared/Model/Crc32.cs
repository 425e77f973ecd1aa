namespace Embedded.Shared.Model
{
    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib and PNG compute it.</summary>
    public static class Crc32
    {
        private static readonly uint[] Table = ReflectedCrc32.BuildTable(0xEDB88320u);

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
            return ReflectedCrc32.Update(Table, running, data, offset, count);
        }

        /// <summary>Final CRC value from a running one.</summary>
        public static uint Finish(uint running)
        {
            return running ^ 0xFFFFFFFFu;
        }
    }
}
