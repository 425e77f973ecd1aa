using Embedded.Edge.Hosting;

namespace Embedded.Edge.Engine;

/// <summary>
/// Watches the model file (FileSystemWatcher, plus polling because inotify misses some writers and
/// network filesystems) and replaces the running engine only with a file that loads and validates
/// (CRC, golden vectors, same input/output shape). A bad file, including one caught half-written, is
/// rejected with a log line and the old model keeps running; the same bad content is not re-logged.
/// Copying a file over the old one is how a Pi is "flashed"; writing a temp file then renaming it is atomic.
/// A FIFO, a device or a file larger than the format allows is refused without reading it.
/// </summary>
public sealed class ModelWatcher : IDisposable
{
    private readonly string _path;
    private readonly Func<byte[], string, IScoringEngine> _load;
    private readonly EngineHolder _holder;
    private readonly EdgeCounters _counters;
    private readonly EdgeLog _log;
    private readonly TimeSpan _settle;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _poll;
    private readonly Timer _debounce;
    private readonly object _sync = new();
    private (long Length, DateTime WriteUtc) _lastSeen;
    // Whole images, not hashes: models are small, and this keeps OpenSSL out of the process.
    private byte[] _runningImage;
    private byte[]? _rejectedImage;
    private bool _disposed;

    /// <param name="initialImage">Bytes of the model that is running now (the same bytes are not reloaded).</param>
    public ModelWatcher(string path, byte[] initialImage, Func<byte[], string, IScoringEngine> load, EngineHolder holder, EdgeCounters counters, EdgeLog log,
        TimeSpan pollInterval, TimeSpan? settleDelay = null)
    {
        _path = Path.GetFullPath(path);
        _load = load;
        _holder = holder;
        _counters = counters;
        _log = log;
        _settle = settleDelay ?? TimeSpan.FromMilliseconds(200);
        _runningImage = initialImage;
        _lastSeen = Signature();
        _debounce = new Timer(_ => Check(), null, Timeout.Infinite, Timeout.Infinite);
        _poll = new Timer(_ => Check(), null, pollInterval, pollInterval);
        try
        {
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => Poke();
            _watcher.Created += (_, _) => Poke();
            _watcher.Renamed += (_, e) =>
            {
                if (string.Equals(e.FullPath, _path, StringComparison.Ordinal)) Poke();
            };
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            _log.Warn($"model watcher: file notifications unavailable ({e.Message}); polling every {pollInterval.TotalSeconds:0.#} s.");
            _watcher = null;
        }
    }

    /// <summary>Raised after a file was rejected, with the reason.</summary>
    public event Action<string>? Rejected;

    /// <summary>
    /// Checks the file now (also called by the notifications and the poll timer). The read happens outside
    /// the lock and never blocks (<see cref="ModelFile"/>), so a FIFO or a device put in the model's place
    /// cannot stall later checks or shutdown; the lock only orders the compare-and-swap.
    /// </summary>
    public void Check()
    {
        if (Volatile.Read(ref _disposed)) return;
        var seen = Signature();
        lock (_sync)
        {
            if (seen == _lastSeen) return;
        }

        byte[]? image = null;
        string? refusal = null;
        try
        {
            image = ModelFile.Read(_path);
        }
        catch (ModelRejectedException e)
        {
            refusal = e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // gone for a moment (being replaced): the next event or poll retries
        }

        lock (_sync)
        {
            if (_disposed || seen == _lastSeen) return;
            _lastSeen = seen;
            if (refusal is not null)
            {
                Reject(refusal, null);
                return;
            }

            if (image is null) return;
            if (image.AsSpan().SequenceEqual(_runningImage) || (_rejectedImage is not null && image.AsSpan().SequenceEqual(_rejectedImage))) return;
            try
            {
                IScoringEngine next = _load(image, _path);
                _holder.Swap(next);
                _runningImage = image;
                _rejectedImage = null;
                _counters.AddModelAccepted();
                _log.Info($"model {_path}: new model accepted ({next.Description}); the old one is retired.");
            }
            catch (ModelRejectedException e)
            {
                Reject(e.Message, image);
            }
        }
    }

    private void Reject(string reason, byte[]? image)
    {
        _rejectedImage = image;
        _counters.AddModelRejected();
        _log.Error($"model {_path}: rejected, the running model stays: {reason}");
        Rejected?.Invoke(reason);
    }

    public void Dispose()
    {
        lock (_sync) Volatile.Write(ref _disposed, true);
        _watcher?.Dispose();
        _poll.Dispose();
        _debounce.Dispose();
    }

    private void Poke() => _debounce.Change(_settle, Timeout.InfiniteTimeSpan);

    private (long, DateTime) Signature()
    {
        var info = new FileInfo(_path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : (-1, DateTime.MinValue);
    }
}
