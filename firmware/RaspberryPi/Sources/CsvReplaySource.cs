using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Embedded.Edge.Hosting;

namespace Embedded.Edge.Sources;

/// <summary>
/// Replays CSV lines from a file or stdin, paced by their own timestamps (scaled by a speed factor)
/// against a monotonic clock, or as fast as possible. A header line names the columns; malformed lines
/// are logged with their line number, counted and skipped. A timestamp jump (a gap of weeks, a clock
/// reset, 1e300) waits at most <see cref="DefaultMaxPause"/> and pacing restarts from that sample.
/// </summary>
public sealed class CsvReplaySource : ISampleSource
{
    private readonly TextReader _reader;
    private readonly string _name;
    private readonly ReplaySpeed _speed;
    private readonly EdgeCounters _counters;
    private readonly EdgeLog _log;
    private readonly bool _ownsReader;
    private readonly string? _firstLine;
    private readonly int _firstDataLineNumber;
    private readonly CsvLayout _layout;
    private readonly TimeSpan _maxPause;

    /// <summary>Longest wait between two samples: a longer gap in the recording is cut to this.</summary>
    public static readonly TimeSpan DefaultMaxPause = TimeSpan.FromHours(1);

    /// <param name="reader">The CSV text; the first line is read now to resolve the layout.</param>
    /// <param name="name">File name (or "stdin") for messages.</param>
    public CsvReplaySource(TextReader reader, string name, ReplaySpeed speed, string? timestampColumn, IReadOnlyList<string>? valueColumns,
        EdgeCounters counters, EdgeLog log, bool ownsReader = true, TimeSpan? maxPause = null)
    {
        _maxPause = maxPause ?? DefaultMaxPause;
        _reader = reader;
        _name = name;
        _speed = speed;
        _counters = counters;
        _log = log;
        _ownsReader = ownsReader;
        string first = reader.ReadLine() ?? throw new FormatException($"{name}: empty input, expected a CSV header or data line.");
        if (CsvLayout.LooksLikeHeader(first))
        {
            _layout = CsvLayout.FromHeader(first, timestampColumn, valueColumns, name + " line 1");
            _firstDataLineNumber = 2;
        }
        else
        {
            _layout = CsvLayout.FromIndices(first, timestampColumn, valueColumns, name + " line 1");
            _firstLine = first;
            _firstDataLineNumber = 1;
        }
    }

    public static CsvReplaySource OpenFile(string path, ReplaySpeed speed, string? timestampColumn, IReadOnlyList<string>? valueColumns, EdgeCounters counters, EdgeLog log)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV source '{path}' does not exist.", path);
        return new CsvReplaySource(new StreamReader(path), path, speed, timestampColumn, valueColumns, counters, log);
    }

    public IReadOnlyList<string> ChannelNames => _layout.ChannelNames;

    public async IAsyncEnumerable<Sample> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lineNumber = _firstDataLineNumber - 1;
        long dataRow = 0;
        bool haveOrigin = false;
        double originSeconds = 0;
        long originTicks = 0;
        string? pending = _firstLine;
        while (!cancellationToken.IsCancellationRequested)
        {
            string? line = pending ?? await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            pending = null;
            if (line is null) yield break;
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!_layout.TryParse(line, out string? timestamp, out double[] values, out string error))
            {
                _counters.AddMalformedLine();
                _log.WarnLimited("csv-malformed", $"{_name} line {lineNumber}: {error}; line skipped.");
                continue;
            }

            if (!_speed.IsMax && TimestampClock.TryGetSeconds(timestamp, out double seconds))
            {
                if (!haveOrigin)
                {
                    haveOrigin = true;
                    originSeconds = seconds;
                    originTicks = Stopwatch.GetTimestamp();
                }
                else
                {
                    // In double seconds: a jump to 1e300 overflows TimeSpan, one over 49.7 days Task.Delay.
                    double wait = (seconds - originSeconds) / _speed.Factor - Stopwatch.GetElapsedTime(originTicks).TotalSeconds;
                    double cap = _maxPause.TotalSeconds;
                    if (wait > cap || wait < -cap || double.IsNaN(wait))
                    {
                        _log.WarnLimited("csv-gap", $"{_name} line {lineNumber}: timestamp jumps by {seconds - originSeconds:G4} s from the replay's pace; "
                            + $"waiting at most {cap:0.###} s and pacing from this sample.");
                        if (wait > 0) await Task.Delay(_maxPause, cancellationToken).ConfigureAwait(false);
                        originSeconds = seconds;
                        originTicks = Stopwatch.GetTimestamp();
                    }
                    else if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            // Without a timestamp column the row index stands in, as in the detect pipeline's output.
            yield return new Sample(timestamp ?? dataRow.ToString(CultureInfo.InvariantCulture), values);
            dataRow++;
        }
    }

    public void Dispose()
    {
        if (_ownsReader) _reader.Dispose();
    }
}
