namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so that 0x00 can delimit frames
    /// on the wire. A receiver that loses sync simply waits for the next 0x00.
    /// </summary>
    public static class Cobs
    {
        /// <summary>Largest encoded length of <paramref name="length"/> input bytes.</summary>
        public static int MaxEncodedLength(int length)
        {
            return length + length / 254 + 1;
        }

        /// <summary>
        /// Encodes <paramref name="count"/> bytes from <paramref name="source"/> into <paramref name="destination"/>
        /// at <paramref name="destinationOffset"/> (no delimiter); returns the encoded length.
        /// </summary>
        public static int Encode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
        {
            int write = destinationOffset + 1;
            int codeIndex = destinationOffset;
            byte code = 1;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                byte value = source[i];
                if (value == 0)
                {
                    destination[codeIndex] = code;
                    codeIndex = write++;
                    code = 1;
                }
                else
                {
                    destination[write++] = value;
                    code++;
                    if (code == 0xFF)
                    {
                        destination[codeIndex] = code;
                        codeIndex = write++;
                        code = 1;
                    }
                }
            }
            destination[codeIndex] = code;
            return write - destinationOffset;
        }

        /// <summary>
        /// Decodes <paramref name="count"/> encoded bytes in place-safe fashion into <paramref name="destination"/>;
        /// returns the decoded length, or -1 if the input is not valid COBS (a zero byte or a code past the end)
        /// or would not fit in <paramref name="destination"/> (a long run of noise without a delimiter decodes
        /// to more bytes than it encodes, so the caller's buffer bounds the result, not the input length).
        /// </summary>
        public static int Decode(byte[] source, int offset, int count, byte[] destination, int destinationOffset)
        {
            int read = offset;
            int end = offset + count;
            int write = destinationOffset;
            int limit = destination.Length;
            while (read < end)
            {
                int code = source[read++];
                if (code == 0) return -1;
                int runEnd = read + code - 1;
                if (runEnd > end) return -1;
                if (write + (runEnd - read) > limit) return -1;
                while (read < runEnd)
                {
                    byte value = source[read++];
                    if (value == 0) return -1;
                    destination[write++] = value;
                }
                if (code != 0xFF && read < end)
                {
                    if (write >= limit) return -1;
                    destination[write++] = 0;
                }
            }
            return write - destinationOffset;
        }
    }
}
