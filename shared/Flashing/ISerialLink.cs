namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// A byte pipe to the other end (UART on the device, SerialPort on the PC, an in-memory pair in tests).
    /// Reads never block: they return what is already buffered (possibly 0 bytes).
    /// </summary>
    public interface ISerialLink
    {
        /// <summary>Copies up to <paramref name="count"/> buffered bytes; returns how many (0 when none).</summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Sends bytes (may block until they are queued).</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
