namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// The 32-bit checksum the flashing protocol uses to check a transfer and to name a model: CRC-32C
    /// (Castagnoli) of the image. Not the zlib CRC-32: a model image ends with the CRC-32 of its own bytes,
    /// and the CRC-32 of such a file is the same constant (0x2144DF1C, the CRC residue) for every valid
    /// model — and stays a function of the length alone whatever prefix is added, since CRCs are linear.
    /// A different polynomial breaks that link.
    /// </summary>
    public static class ModelChecksum
    {
        /// <summary>Running value for an incremental checksum (continue with <see cref="Update"/>).</summary>
        public const uint Start = Crc32C.Start;

        public static uint Update(uint running, byte[] data, int offset, int count)
        {
            return Crc32C.Update(running, data, offset, count);
        }

        public static uint Finish(uint running)
        {
            return Crc32C.Finish(running);
        }

        /// <summary>Checksum of a whole image.</summary>
        public static uint Compute(byte[] image)
        {
            return Crc32C.Compute(image, 0, image.Length);
        }
    }
}
