using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Streaming receiver side of the framing: feed bytes one at a time; a complete, CRC-checked frame
    /// becomes available in <see cref="Current"/>. Anything malformed (bad COBS, bad CRC, too long, too
    /// short) is dropped and counted; the decoder resynchronises on the next 0x00.
    /// </summary>
    public sealed class FrameDecoder
    {
        private readonly byte[] _encoded = new byte[Cobs.MaxEncodedLength(ProtocolConstants.MaxFrame)];
        private readonly byte[] _decoded = new byte[ProtocolConstants.MaxFrame];
        private int _fill;
        private bool _overflow;

        public FrameDecoder()
        {
            Current = new Frame();
        }

        /// <summary>The last good frame (valid after <see cref="Push"/> returned true, until the next call).</summary>
        public Frame Current { get; private set; }

        /// <summary>Frames dropped for bad COBS, bad CRC, bad length or overflow.</summary>
        public int BadFrames { get; private set; }

        /// <summary>Discards any partial frame (e.g. after a long silence).</summary>
        public void Clear()
        {
            _fill = 0;
            _overflow = false;
        }

        /// <summary>Feeds one byte; returns true when it completed a valid frame.</summary>
        public bool Push(byte value)
        {
            if (value != ProtocolConstants.Delimiter)
            {
                if (_fill < _encoded.Length) _encoded[_fill++] = value;
                else _overflow = true;
                return false;
            }
            int length = _fill;
            bool overflow = _overflow;
            _fill = 0;
            _overflow = false;
            if (length == 0) return false;
            if (overflow)
            {
                BadFrames++;
                return false;
            }
            int decoded = Cobs.Decode(_encoded, 0, length, _decoded, 0);
            if (decoded < ProtocolConstants.HeaderSize + ProtocolConstants.CrcSize)
            {
                BadFrames++;
                return false;
            }
            int crcOffset = decoded - ProtocolConstants.CrcSize;
            uint expected = LittleEndian.ReadUInt32(_decoded, crcOffset);
            if (Crc32.Compute(_decoded, 0, crcOffset) != expected)
            {
                BadFrames++;
                return false;
            }
            int payloadLength = crcOffset - ProtocolConstants.HeaderSize;
            if (payloadLength > ProtocolConstants.MaxPayload)
            {
                BadFrames++;
                return false;
            }
            Frame frame = Current;
            frame.Type = (MessageType)_decoded[0];
            frame.Sequence = LittleEndian.ReadUInt16(_decoded, 1);
            frame.PayloadLength = payloadLength;
            System.Array.Copy(_decoded, ProtocolConstants.HeaderSize, frame.Payload, 0, payloadLength);
            return true;
        }
    }
}
