namespace Embedded.Shared.Flashing
{
    /// <summary>Fixed numbers of the flashing protocol (docs/PROTOCOL.md).</summary>
    public static class ProtocolConstants
    {
        /// <summary>Bumped on any incompatible change to frames or messages.</summary>
        public const byte Version = 1;

        /// <summary>Frame delimiter on the wire (COBS removes every other zero).</summary>
        public const byte Delimiter = 0;

        /// <summary>Type (1) + sequence number (2).</summary>
        public const int HeaderSize = 3;

        /// <summary>CRC-32 over header and payload.</summary>
        public const int CrcSize = 4;

        /// <summary>Largest payload of any frame: a Data frame's 4-byte offset plus the largest chunk.</summary>
        public const int MaxPayload = 4 + MaxChunk;

        /// <summary>Largest chunk either side may negotiate.</summary>
        public const int MaxChunk = 1024;

        /// <summary>Chunk size the PC asks for unless told otherwise.</summary>
        public const int DefaultChunk = 256;

        /// <summary>Largest raw (unstuffed) frame.</summary>
        public const int MaxFrame = HeaderSize + MaxPayload + CrcSize;

        /// <summary>Flag bit in HelloReply: the device holds a key and accepts only tagged models.</summary>
        public const byte FlagKeyProvisioned = 1;
    }
}
