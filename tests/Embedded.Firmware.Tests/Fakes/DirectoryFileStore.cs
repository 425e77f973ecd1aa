using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>IFileStore over a real folder (what a PC-hosted device simulator would use).</summary>
internal sealed class DirectoryFileStore(string root) : IFileStore
{
    private string PathOf(string name) => Path.Combine(root, name);

    public bool Exists(string name) => File.Exists(PathOf(name));

    public int Length(string name) => File.Exists(PathOf(name)) ? (int)new FileInfo(PathOf(name)).Length : -1;

    public byte[] ReadAll(string name) => File.ReadAllBytes(PathOf(name));

    public IFileWriter Create(string name) => new Writer(new FileStream(PathOf(name), FileMode.Create, FileAccess.Write));

    public void Delete(string name) => File.Delete(PathOf(name));

    public void Rename(string from, string to) => File.Move(PathOf(from), PathOf(to), overwrite: false);

    private sealed class Writer(FileStream stream) : IFileWriter
    {
        public void Write(byte[] buffer, int offset, int count) => stream.Write(buffer, offset, count);

        public void Close()
        {
            stream.Flush(flushToDisk: true);
            stream.Dispose();
        }
    }
}
