using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>
/// In-memory flash with a simulated power cut: every mutating operation (create, each write, delete,
/// rename) counts; once <see cref="PowerCutAfter"/> operations have completed, the next one is lost
/// (or, with <see cref="TornWrites"/>, half-applied) and every later call throws. <see cref="Reboot"/>
/// gives the store as the next boot sees it.
/// </summary>
internal sealed class MemoryFileStore : IFileStore
{
    private readonly Dictionary<string, List<byte>> _files;

    public MemoryFileStore() => _files = new Dictionary<string, List<byte>>(StringComparer.Ordinal);

    private MemoryFileStore(Dictionary<string, List<byte>> files) => _files = files;

    /// <summary>Mutating operations completed so far.</summary>
    public int Operations { get; private set; }

    /// <summary>How many mutating operations succeed before the power goes; null = never.</summary>
    public int? PowerCutAfter { get; set; }

    /// <summary>When the cut hits a write, the first half of its bytes reach the flash.</summary>
    public bool TornWrites { get; set; }

    public bool PoweredOff { get; private set; }

    /// <summary>Names of every file currently stored.</summary>
    public IReadOnlyCollection<string> Names => _files.Keys;

    /// <summary>The same stored bytes, powered on again, with no cut scheduled.</summary>
    public MemoryFileStore Reboot()
    {
        var copy = _files.ToDictionary(kv => kv.Key, kv => new List<byte>(kv.Value), StringComparer.Ordinal);
        return new MemoryFileStore(copy);
    }

    public void Put(string name, byte[] content) => _files[name] = new List<byte>(content);

    public byte[]? Get(string name) => _files.TryGetValue(name, out var f) ? f.ToArray() : null;

    public bool Exists(string name)
    {
        CheckPower();
        return _files.ContainsKey(name);
    }

    public int Length(string name)
    {
        CheckPower();
        return _files.TryGetValue(name, out var f) ? f.Count : -1;
    }

    public byte[] ReadAll(string name)
    {
        CheckPower();
        if (!_files.TryGetValue(name, out var f)) throw new FileNotFoundException(name);
        return f.ToArray();
    }

    public IFileWriter Create(string name)
    {
        Mutate(() => _files[name] = new List<byte>(), null);
        return new Writer(this, name);
    }

    public void Delete(string name) => Mutate(() => _files.Remove(name), null);

    public void Rename(string from, string to)
    {
        CheckPower();
        if (!_files.ContainsKey(from)) throw new IOException("rename: " + from + " does not exist");
        if (_files.ContainsKey(to)) throw new IOException("rename: " + to + " exists");
        Mutate(() =>
        {
            _files[to] = _files[from];
            _files.Remove(from);
        }, null);
    }

    private void CheckPower()
    {
        if (PoweredOff) throw new PowerLostException();
    }

    private void Mutate(Action apply, Action? torn)
    {
        CheckPower();
        if (PowerCutAfter is int limit && Operations >= limit)
        {
            PoweredOff = true;
            if (TornWrites) torn?.Invoke();
            throw new PowerLostException();
        }
        apply();
        Operations++;
    }

    private sealed class Writer(MemoryFileStore store, string name) : IFileWriter
    {
        public void Write(byte[] buffer, int offset, int count)
        {
            var chunk = buffer.AsSpan(offset, count).ToArray();
            store.Mutate(
                () => Target().AddRange(chunk),
                () => Target().AddRange(chunk.Take(count / 2)));
        }

        public void Close() => store.CheckPower();

        private List<byte> Target() =>
            store._files.TryGetValue(name, out var f) ? f : throw new IOException(name + " was deleted while open");
    }
}
