using System.IO.Ports;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Embedded.Edge.Hosting;

namespace Embedded.Edge.Sources;

/// <summary>
/// CSV lines from another board over a serial port (System.IO.Ports). A reader thread reads bytes,
/// cuts them into lines of bounded length (<see cref="LineSplitter"/>) and hands samples over through a
/// bounded queue; malformed and over-long lines are logged, counted and skipped, and a sample the loop
/// had no time for is dropped (oldest first) and counted. The layout follows the stream
/// (<see cref="LiveCsvLayout"/>). A port that disappears (USB adapter unplugged) is reopened every
/// second until it comes back; any other reader failure ends the stream with an IOException, so the
/// app exits non-zero and systemd's Restart=on-failure restarts it.
/// </summary>
public sealed class SerialSource : ISampleSource
{
    private readonly string _portName;
    private readonly Func<Stream> _open;
    private readonly EdgeCounters _counters;
    private readonly EdgeLog _log;
    private readonly Channel<Sample> _samples;
    private readonly LiveCsvLayout _layout;
    private readonly LineSplitter _splitter;
    private long _linesReceived;
    private long _lineNumber;

    /// <param name="channelCount">Values per line when no value columns are given (the model's input count).</param>
    public SerialSource(string portName, int baudRate, string? timestampColumn, IReadOnlyList<string>? valueColumns, int channelCount, EdgeCounters counters, EdgeLog log)
        : this(portName, null, timestampColumn, valueColumns, channelCount, counters, log)
    {
        _open = () => OpenPort(portName, baudRate);
    }

    /// <param name="open">Opens the byte stream (the port); its Read may throw TimeoutException when idle.</param>
    /// <param name="queueCapacity">Samples waiting for the loop before the oldest is dropped.</param>
    public SerialSource(string portName, Func<Stream>? open, string? timestampColumn, IReadOnlyList<string>? valueColumns, int channelCount, EdgeCounters counters, EdgeLog log,
        int maxLineLength = LineSplitter.DefaultMaxLength, int queueCapacity = 1024)
    {
        _portName = portName;
        _open = open ?? (() => throw new InvalidOperationException("no port opener"));
        _counters = counters;
        _log = log;
        _layout = new LiveCsvLayout(channelCount, timestampColumn, valueColumns, $"serial {portName}");
        _splitter = new LineSplitter(maxLineLength);
        _samples = Channel.CreateBounded<Sample>(
            new BoundedChannelOptions(queueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => OnSampleDropped());
        ChannelNames = valueColumns is { Count: > 0 } ? valueColumns.ToArray() : Enumerable.Range(0, channelCount).Select(i => "ch" + i).ToArray();
    }

    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Lines received so far (good or bad, over-long ones included).</summary>
    public long LinesReceived => Interlocked.Read(ref _linesReceived);

    public async IAsyncEnumerable<Sample> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Opening fails fast (wrong port name is a configuration error); later failures are retried.
        Stream port = _open();
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
                    // A reader failure completes the queue with an IOException, which surfaces here.
                    if (!await _samples.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false)) yield break;
                    if (!_samples.Reader.TryRead(out Sample? next)) continue;
                    sample = next;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
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

    private Stream OpenPort(string portName, int baudRate)
    {
        var port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One)
        {
            ReadTimeout = 250,
            Handshake = Handshake.None,
        };
        try
        {
            port.Open();
        }
        catch
        {
            port.Dispose();
            throw;
        }

        _log.Info($"serial {_portName} open at {baudRate} baud");
        return new SerialPortStream(port);
    }

    private void ReadLines(Stream port, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        Exception? failure = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int count;
                try
                {
                    count = port.Read(buffer, 0, buffer.Length);
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

                if (count == 0)
                {
                    // End of stream (a pty whose other side closed): wait and read again, as for an idle port.
                    Thread.Sleep(50);
                    continue;
                }

                _splitter.Feed(buffer.AsSpan(0, count), Handle, OnOverlong);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        catch (Exception e)
        {
            // Never let the reader thread take the process down, and never let it look like a clean end:
            // the loop gets an IOException and the app exits non-zero, so systemd restarts it.
            _log.Error($"serial {_portName}: reader stopped: {e.Message}");
            failure = new IOException($"serial {_portName}: reader stopped: {e.Message}", e);
        }
        finally
        {
            port.Dispose();
            _samples.Writer.TryComplete(failure);
        }
    }

    private Stream Reopen(CancellationToken cancellationToken)
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
                return _open();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.WarnLimited("serial-open", $"serial {_portName}: cannot reopen: {e.Message}");
            }
        }
    }

    private void Handle(string line)
    {
        long lineNumber = ++_lineNumber;
        Interlocked.Increment(ref _linesReceived);
        if (line.Length == 0) return;
        switch (_layout.Parse(line, out string? timestamp, out double[] values, out string error))
        {
            case LiveCsvLayout.LineKind.Sample:
                _samples.Writer.TryWrite(new Sample(timestamp ?? TimestampClock.Now(), values));
                break;
            case LiveCsvLayout.LineKind.Header:
                _log.Info($"serial {_portName} line {lineNumber}: header names the columns");
                break;
            default:
                _counters.AddMalformedLine();
                _log.WarnLimited("serial-malformed", $"serial {_portName} line {lineNumber}: {error}; line skipped.");
                break;
        }
    }

    private void OnOverlong()
    {
        long lineNumber = ++_lineNumber;
        Interlocked.Increment(ref _linesReceived);
        _counters.AddLineTooLong();
        _log.WarnLimited("serial-overlong", $"serial {_portName} line {lineNumber}: longer than {_splitter.MaxLength} bytes without a newline; dropped up to the next newline.");
    }

    private void OnSampleDropped()
    {
        _counters.AddSampleDropped();
        _log.WarnLimited("serial-queue", $"serial {_portName}: samples arrive faster than they are processed; oldest sample dropped.");
    }
}
