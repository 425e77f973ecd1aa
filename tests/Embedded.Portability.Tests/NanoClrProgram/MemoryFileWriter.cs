using Embedded.Shared.Flashing;

namespace Embedded.BitExact
{
    /// <summary>Appends to one slot of a <see cref="MemoryFileStore"/>.</summary>
    public sealed class MemoryFileWriter : IFileWriter
    {
        private readonly MemoryFileStore _store;
        private readonly int _slot;

        public MemoryFileWriter(MemoryFileStore store, int slot)
        {
            _store = store;
            _slot = slot;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _store.Append(_slot, buffer, offset, count);
        }

        public void Close()
        {
        }
    }
}
