using System.IO;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Hardware
{
    /// <summary>
    /// IFileStore on the ESP32's internal flash drive I:\ (System.IO.FileSystem). File.Move is a rename
    /// inside one volume, which the storage layer performs atomically.
    /// </summary>
    public sealed class InternalFlashStore : IFileStore
    {
        private readonly string _root;

        public InternalFlashStore(string root)
        {
            _root = root;
        }

        public bool Exists(string name)
        {
            return File.Exists(_root + name);
        }

        public int Length(string name)
        {
            string path = _root + name;
            if (!File.Exists(path)) return -1;
            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                return (int)stream.Length;
            }
        }

        public byte[] ReadAll(string name)
        {
            using (FileStream stream = new FileStream(_root + name, FileMode.Open, FileAccess.Read))
            {
                byte[] data = new byte[(int)stream.Length];
                int read = 0;
                while (read < data.Length)
                {
                    int n = stream.Read(data, read, data.Length - read);
                    if (n <= 0) throw new IOException("short read of " + name);
                    read += n;
                }
                return data;
            }
        }

        public IFileWriter Create(string name)
        {
            return new Writer(new FileStream(_root + name, FileMode.Create, FileAccess.Write));
        }

        public void Delete(string name)
        {
            string path = _root + name;
            if (File.Exists(path)) File.Delete(path);
        }

        public void Rename(string from, string to)
        {
            File.Move(_root + from, _root + to);
        }

        private sealed class Writer : IFileWriter
        {
            private readonly FileStream _stream;

            public Writer(FileStream stream)
            {
                _stream = stream;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                _stream.Write(buffer, offset, count);
            }

            public void Close()
            {
                _stream.Flush();
                _stream.Dispose();
            }
        }
    }
}
