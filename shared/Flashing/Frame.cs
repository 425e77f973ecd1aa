namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// One decoded frame: type, 16-bit sequence number and payload. The payload buffer is owned by the
    /// decoder and reused for the next frame (no allocation per frame); copy what must outlive it.
    /// </summary>
    public sealed class Frame
    {
        public Frame()
        {
            Payload = new byte[ProtocolConstants.MaxPayload];
        }

        public MessageType Type { get; set; }

        public int Sequence { get; set; }

        /// <summary>Buffer of capacity <see cref="ProtocolConstants.MaxPayload"/>; the first <see cref="PayloadLength"/> bytes are valid.</summary>
        public byte[] Payload { get; private set; }

        public int PayloadLength { get; set; }
    }
}
