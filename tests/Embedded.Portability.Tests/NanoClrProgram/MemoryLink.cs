using Embedded.Shared.Flashing;

namespace Embedded.BitExact
{
    /// <summary>
    /// One end of an in-memory serial cable. The device end also keeps a transcript of all it wrote, so the
    /// program can print the device's serial output even while the PC-side sender consumes it.
    /// </summary>
    public sealed class MemoryLink : ISerialLink
    {
        private readonly ByteQueue _incoming;
        private readonly ByteQueue _outgoing;
        private readonly ByteQueue _transcript;

        public MemoryLink(ByteQueue incoming, ByteQueue outgoing, ByteQueue transcript)
        {
            _incoming = incoming;
            _outgoing = outgoing;
            _transcript = transcript;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            // At most 64 bytes a call, like a UART FIFO, so frames arrive in pieces.
            return _incoming.Read(buffer, offset, count < 64 ? count : 64);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _outgoing.Write(buffer, offset, count);
            if (_transcript != null) _transcript.Write(buffer, offset, count);
        }
    }
}
