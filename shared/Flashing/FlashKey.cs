namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Reads a provisioning key file the same way on the PC (--key FILE) and on the device (I:\flash.key):
    /// if the file is only hexadecimal digits (whitespace ignored, even count) it is decoded, otherwise
    /// the raw bytes are the key.
    /// </summary>
    public static class FlashKey
    {
        /// <summary>Smallest key accepted; shorter keys make HMAC guessable.</summary>
        public const int MinimumLength = 16;

        /// <summary>Returns the key bytes, or throws ArgumentException naming the problem.</summary>
        public static byte[] Parse(byte[] fileBytes)
        {
            if (fileBytes == null || fileBytes.Length == 0) throw new System.ArgumentException("key file is empty");
            byte[] hex = TryDecodeHex(fileBytes);
            byte[] key = hex != null ? hex : fileBytes;
            if (key.Length < MinimumLength)
            {
                throw new System.ArgumentException("key is " + key.Length.ToString() + " bytes; at least " + MinimumLength.ToString() + " are required");
            }
            return key;
        }

        private static byte[] TryDecodeHex(byte[] text)
        {
            int digits = 0;
            for (int i = 0; i < text.Length; i++)
            {
                byte c = text[i];
                if (IsSpace(c)) continue;
                if (HexValue(c) < 0) return null;
                digits++;
            }
            if (digits == 0 || (digits & 1) != 0) return null;
            byte[] key = new byte[digits / 2];
            int nibble = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (IsSpace(text[i])) continue;
                int value = HexValue(text[i]);
                if ((nibble & 1) == 0) key[nibble / 2] = (byte)(value << 4);
                else key[nibble / 2] |= (byte)value;
                nibble++;
            }
            return key;
        }

        private static bool IsSpace(byte c)
        {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        private static int HexValue(byte c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
