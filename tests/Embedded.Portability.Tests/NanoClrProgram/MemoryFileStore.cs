using Embedded.Shared.Flashing;

namespace Embedded.BitExact
{
    /// <summary>A few named files in RAM (no Hashtable: it is not in the firmware's libraries).</summary>
    public sealed class MemoryFileStore : IFileStore
    {
        private readonly string[] _names = new string[8];
        private readonly byte[][] _contents = new byte[8][];

        public bool Exists(string name)
        {
            return Find(name) >= 0;
        }

        public int Length(string name)
        {
            int i = Find(name);
            return i < 0 ? -1 : _contents[i].Length;
        }

        public byte[] ReadAll(string name)
        {
            int i = Find(name);
            if (i < 0) throw new System.IO.IOException("no file " + name);
            byte[] copy = new byte[_contents[i].Length];
            System.Array.Copy(_contents[i], copy, copy.Length);
            return copy;
        }

        public IFileWriter Create(string name)
        {
            Delete(name);
            for (int i = 0; i < _names.Length; i++)
            {
                if (object.ReferenceEquals(_names[i], null))
                {
                    _names[i] = name;
                    _contents[i] = new byte[0];
                    return new MemoryFileWriter(this, i);
                }
            }
            throw new System.IO.IOException("store full");
        }

        public void Delete(string name)
        {
            int i = Find(name);
            if (i < 0) return;
            _names[i] = null;
            _contents[i] = null;
        }

        public void Rename(string from, string to)
        {
            int i = Find(from);
            if (i < 0 || Find(to) >= 0) throw new System.IO.IOException("cannot rename " + from + " to " + to);
            _names[i] = to;
        }

        internal void Append(int slot, byte[] buffer, int offset, int count)
        {
            byte[] old = _contents[slot];
            byte[] grown = new byte[old.Length + count];
            System.Array.Copy(old, grown, old.Length);
            System.Array.Copy(buffer, offset, grown, old.Length, count);
            _contents[slot] = grown;
        }

        private int Find(string name)
        {
            for (int i = 0; i < _names.Length; i++)
            {
                // ReferenceEquals first: nanoCLR crashes comparing a null string[] element with ==.
                if (!object.ReferenceEquals(_names[i], null) && _names[i] == name) return i;
            }
            return -1;
        }
    }
}
