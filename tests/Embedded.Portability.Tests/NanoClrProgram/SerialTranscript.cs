namespace Embedded.BitExact
{
    /// <summary>
    /// Prints what the device wrote on serial: its text lines as they are, and each protocol frame (ended by a
    /// 0 byte) as its length and a hash, so replies are compared too without printing binary.
    /// </summary>
    public static class SerialTranscript
    {
        private static readonly byte[] Buffer = new byte[256];
        private static string _pending = "";
        private static int _binary;
        private static uint _hash = 2166136261;

        public static void Drain(ByteQueue transcript)
        {
            int n;
            while ((n = transcript.Read(Buffer, 0, Buffer.Length)) > 0)
            {
                for (int i = 0; i < n; i++) Take(Buffer[i]);
            }
        }

        private static void Take(byte b)
        {
            if (b == (byte)'\n' || b == 0)
            {
                if (b == 0 && _binary == 0 && _pending.Length == 0) return; // a frame's leading delimiter
                if (_binary > 0 || b == 0) Out.Line("SERIAL frame bytes=" + (_pending.Length + _binary).ToString() + " hash=" + _hash.ToString());
                else Out.Line("SERIAL " + _pending);
                _pending = "";
                _binary = 0;
                _hash = 2166136261;
                return;
            }
            unchecked { _hash = (_hash ^ b) * 16777619; }
            if (b >= 32 && b < 127 && _binary == 0) _pending += ((char)b).ToString();
            else _binary++;
        }
    }
}
