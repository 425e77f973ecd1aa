using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as iSCSI and ext4 compute it.</summary>
    public static class Crc32C
    {
        private static readonly uint[] Table = ReflectedCrc32.BuildTable(0x82F63B78u);

        /// <summary>Initial running value for <see cref="Update"/>.</summary>
        public const uint Start = 0xFFFFFFFFu;

        /// <summary>Feeds bytes into a running CRC.</summary>
        public static uint Update(uint running, byte[] data, int offset, int count)
        {
            return ReflectedCrc32.Update(Table, running, data, offset, count);
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
