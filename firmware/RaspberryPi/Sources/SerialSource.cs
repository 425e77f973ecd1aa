using System.IO.Ports;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Embedded.Edge.Hosting;

namespace Embedded.Edge.Sources;

/// <summary>
/// CSV lines from another board over a serial port (System.IO.Ports). A reader thread blocks in
/// ReadLine and hands lines over; malformed lines are logged, counted and skipped; a port that
/// disappears (USB adapter unplugged) is reopened every second until it comes back.
/// </summary>
public sealed class SerialSource : ISampleSource
{
    private readonly string _portName;
    private readonly int _baudRate;
    private readonly string? _timestampColumn;
    private readonly IReadOnlyList<string>? _valueColumns;
    private readonly int _channelCount;
    private readonly EdgeCounters _counters;
    private readonly EdgeLog _log;
    private readonly Channel<Sample> _samples = Channel.CreateBounded<Sample>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
    private CsvLayout? _layout;

    /// <param name="channelCount">Values per line when no value columns are given (the model's input count).</param>
    public SerialSource(string portName, int baudRate, string? timestampColumn, IReadOnlyList<string>? valueColumns, int channelCount, EdgeCounters counters, EdgeLog log)
    {
        _portName = portName;
        _baudRate = baudRate;
        _timestampColumn = timestampColumn;
        _valueColumns = valueColumns;
        _channelCount = channelCount;
        _counters = counters;
        _log = log;
        ChannelNames = valueColumns is { Count: > 0 } ? valueColumns.ToArray() : Enumerable.Range(0, channelCount).Select(i => "ch" + i).ToArray();
    }

    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Lines received so far (good or bad).</summary>
    public long LinesReceived => Interlocked.Read(ref _linesReceived);

    private long _linesReceived;

    public async IAsyncEnumerable<Sample> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Opening fails fast (wrong port name is a configuration error); later failures are retried.
        SerialPort port = Open();
        using var stopReader = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken readerToken = stopReader.Token;
        var reader = new Thread(() => ReadLines(port, readerToken)) { IsBackground = true, Name = "serial " + _portName };
        reader.Start();
        try
        {
            while (true)
            {
                Sample sample;
                try
                {
                    if (!await _samples.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) yield break;
                    if (!_samples.Reader.TryRead(out Sample? next)) continue;
                    sample = next;
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                yield return sample;
            }
        }
        finally
        {
            // The reader thread wakes at least every ReadTimeout and sees the stop.
            stopReader.Cancel();
            reader.Join(TimeSpan.FromSeconds(2));
        }
    }

    public void Dispose() => _samples.Writer.TryComplete();

    private SerialPort Open()
    {
        var port = new SerialPort(_portName, _baudRate, Parity.None, 8, StopBits.One)
        {
            NewLine = "\n",
            ReadTimeout = 250,
            Handshake = Handshake.None,
        };
        port.Open();
        _log.Info($"serial {_portName} open at {_baudRate} baud");
        return port;
    }

    private void ReadLines(SerialPort port, CancellationToken cancellationToken)
    {
        long lineNumber = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                string line;
                try
                {
                    line = port.ReadLine();
                }
                catch (TimeoutException)
                {
                    continue;
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
                {
                    _log.WarnLimited("serial-io", $"serial {_portName}: {e.Message}; reopening.");
                    port.Dispose();
                    port = Reopen(cancellationToken);
                    continue;
                }

                lineNumber++;
                Interlocked.Increment(ref _linesReceived);
                Handle(line.TrimEnd('\r'), lineNumber);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        catch (Exception e)
        {
            // Never let the reader thread take the process down; the loop sees the end of the stream.
            _log.Error($"serial {_portName}: reader stopped: {e.Message}");
        }
        finally
        {
            port.Dispose();
            _samples.Writer.TryComplete();
        }
    }

    private SerialPort Reopen(CancellationToken cancellationToken)
    {
        while (true)
        {
            for (int i = 0; i < 10; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(100);
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return Open();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.WarnLimited("serial-open", $"serial {_portName}: cannot reopen: {e.Message}");
            }
        }
    }

    private void Handle(string line, long lineNumber)
    {
        if (line.Length == 0) return;
        if (_layout is null)
        {
            // A first line that is a usable header names the columns; otherwise lines have a fixed shape.
            if (lineNumber == 1 && CsvLayout.LooksLikeHeader(line))
            {
                try
                {
                    _layout = CsvLayout.FromHeader(line, _timestampColumn, _valueColumns, $"serial {_portName} line 1");
                    return;
                }
                catch (FormatException)
                {
                    // not a usable header: a malformed data line
                }
            }

            _layout = CsvLayout.Fixed(_channelCount, _timestampColumn, _valueColumns, $"serial {_portName}");
        }

        if (!_layout.TryParse(line, out string? timestamp, out double[] values, out string error))
        {
            Reject(lineNumber, error);
            return;
        }

        if (values.Length != _channelCount)
        {
            Reject(lineNumber, $"{values.Length} values, the model takes {_channelCount}");
            return;
        }

        _samples.Writer.TryWrite(new Sample(timestamp ?? TimestampClock.Now(), values));
    }

    private void Reject(long lineNumber, string error)
    {
        _counters.AddMalformedLine();
        _log.WarnLimited("serial-malformed", $"serial {_portName} line {lineNumber}: {error}; line skipped.");
    }
}
