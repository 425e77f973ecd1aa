namespace Embedded.Edge.Hosting;

/// <summary>
/// Line-oriented log to stderr (journald picks it up under systemd). Repeated messages of one kind are
/// rate-limited so a sensor that stops answering at 100 Hz does not flood the journal.
/// </summary>
public sealed class EdgeLog
{
    private readonly TextWriter _writer;
    private readonly object _sync = new();
    private readonly Dictionary<string, (long LastTicks, int Suppressed)> _limited = new();
    private readonly long _intervalTicks;

    public EdgeLog(TextWriter writer, TimeSpan? repeatInterval = null)
    {
        _writer = writer;
        _intervalTicks = (long)((repeatInterval ?? TimeSpan.FromSeconds(5)).TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    /// <summary>Writes to stderr.</summary>
    public static EdgeLog Console { get; } = new(System.Console.Error);

    public void Info(string message) => Write("info", message);

    public void Warn(string message) => Write("warn", message);

    public void Error(string message) => Write("error", message);

    /// <summary>A warning that is written at most once per interval for a given <paramref name="kind"/>; the rest are counted.</summary>
    public void WarnLimited(string kind, string message)
    {
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        int suppressed;
        lock (_sync)
        {
            if (_limited.TryGetValue(kind, out var entry) && now - entry.LastTicks < _intervalTicks)
            {
                _limited[kind] = (entry.LastTicks, entry.Suppressed + 1);
                return;
            }

            suppressed = entry.Suppressed;
            _limited[kind] = (now, 0);
        }

        Write("warn", suppressed > 0 ? $"{message} ({suppressed} similar messages suppressed)" : message);
    }

    private void Write(string level, string message)
    {
        lock (_sync)
        {
            _writer.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {level} {message}");
            _writer.Flush();
        }
    }
}
