namespace Embedded.Shared.Flashing
{
    /// <summary>A file open for sequential writing.</summary>
    public interface IFileWriter
    {
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Flushes and closes; after this the bytes are durable.</summary>
        void Close();
    }
}
