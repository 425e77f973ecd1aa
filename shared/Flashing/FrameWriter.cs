using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Builds frames on the wire: 0x00, COBS(type, seq, payload, CRC-32), 0x00. The leading delimiter
    /// flushes any noise (or a status line) the receiver has accumulated, so the frame starts clean.
    /// Buffers are allocated once; the last frame stays in <see cref="LastFrame"/> for retransmission.
    /// </summary>
    public sealed class FrameWriter
    {
        private readonly byte[] _raw = new byte[ProtocolConstants.MaxFrame];
        private readonly byte[] _wire = new byte[Cobs.MaxEncodedLength(ProtocolConstants.MaxFrame) + 2];
        private int _wireLength;

        /// <summary>Scratch payload buffer callers may fill before <see cref="Build"/>.</summary>
        public readonly byte[] Payload = new byte[ProtocolConstants.MaxPayload];

        /// <summary>Encodes a frame whose payload is the first <paramref name="payloadLength"/> bytes of <see cref="Payload"/>.</summary>
        public void Build(MessageType type, int sequence, int payloadLength)
        {
            if (payloadLength < 0 || payloadLength > ProtocolConstants.MaxPayload)
            {
                throw new System.ArgumentOutOfRangeException("payloadLength");
            }
            _raw[0] = (byte)type;
            LittleEndian.WriteUInt16(_raw, 1, sequence & 0xFFFF);
            System.Array.Copy(Payload, 0, _raw, ProtocolConstants.HeaderSize, payloadLength);
            int crcOffset = ProtocolConstants.HeaderSize + payloadLength;
            uint crc = Crc32.Compute(_raw, 0, crcOffset);
            LittleEndian.WriteUInt32(_raw, crcOffset, crc);
            int rawLength = crcOffset + ProtocolConstants.CrcSize;
            _wire[0] = ProtocolConstants.Delimiter;
            int encoded = Cobs.Encode(_raw, 0, rawLength, _wire, 1);
            _wire[1 + encoded] = ProtocolConstants.Delimiter;
            _wireLength = encoded + 2;
        }

        /// <summary>The bytes of the last built frame (valid for <see cref="LastFrameLength"/> bytes).</summary>
        public byte[] LastFrame
        {
            get { return _wire; }
        }

        public int LastFrameLength
        {
            get { return _wireLength; }
        }

        /// <summary>Sends the last built frame again.</summary>
        public void SendTo(ISerialLink link)
        {
            link.Write(_wire, 0, _wireLength);
        }
    }
}
