using Embedded.Edge.Actions;
using Embedded.Edge.Engine;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Hosting;

/// <summary>
/// The app's main loop: every sample from the source goes through the running engine, then to every
/// sink. A model swap takes effect at the next sample (with fresh state). A sample of the wrong shape
/// or a failing sink is logged and counted; nothing but cancellation or end of input stops the loop.
/// A sink with backpressure (a replay's MQTT publisher with a full buffer) makes the loop wait for it.
/// </summary>
public sealed class EdgeLoop
{
    private readonly ISampleSource _source;
    private readonly EngineHolder _engines;
    private readonly IReadOnlyList<ISampleSink> _sinks;
    private readonly IBackpressureSink[] _backpressure;
    private readonly EdgeCounters _counters;
    private readonly EdgeLog _log;
    private readonly long _maxSamples;

    /// <param name="maxSamples">Stop after this many samples (0 = no limit).</param>
    public EdgeLoop(ISampleSource source, EngineHolder engines, IReadOnlyList<ISampleSink> sinks, EdgeCounters counters, EdgeLog log, long maxSamples = 0)
    {
        _source = source;
        _engines = engines;
        _sinks = sinks;
        _backpressure = sinks.OfType<IBackpressureSink>().ToArray();
        _counters = counters;
        _log = log;
        _maxSamples = maxSamples;
    }

    /// <summary>When the first sample arrived (UTC), for the start-up figure.</summary>
    public DateTime? FirstSampleUtc { get; private set; }

    /// <summary>Time spent from the first sample to the end of the loop.</summary>
    public TimeSpan LoopTime { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IScoringEngine engine = _engines.Current;
        long processed = 0;
        long firstTicks = 0;
        try
        {
            await foreach (Sample sample in _source.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (FirstSampleUtc is null)
                {
                    FirstSampleUtc = DateTime.UtcNow;
                    firstTicks = System.Diagnostics.Stopwatch.GetTimestamp();
                }

                IScoringEngine current = _engines.Current;
                if (!ReferenceEquals(current, engine))
                {
                    engine = current;
                    _log.Info($"now running {engine.Description}");
                }

                if (sample.Values.Length != engine.InputCount)
                {
                    _counters.AddMalformedLine();
                    _log.WarnLimited("shape", $"sample at {sample.Timestamp} has {sample.Values.Length} values, the model takes {engine.InputCount}; skipped.");
                    continue;
                }

                StepResult result = engine.Step(sample.Values);
                _counters.AddSample();
                if (result.IsAlarm) _counters.AddAnomaly();
                if (result.IsOutOfRange)
                {
                    _counters.AddOutOfRange();
                    _log.WarnLimited("range", $"sample at {sample.Timestamp} lies beyond the values the model was calibrated on by more than their whole range ({_counters.OutOfRangeSamples} so far); is this the model for this input (sensor, units)?");
                }
                foreach (ISampleSink sink in _sinks)
                {
                    try
                    {
                        sink.OnSample(sample, result);
                    }
                    catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
                    {
                        _log.WarnLimited("sink " + sink.GetType().Name, $"{sink.GetType().Name}: {e.Message}");
                    }
                }

                // A replay waits here while a sink (the MQTT publisher) has no room: it runs at the broker's pace, dropping nothing.
                foreach (IBackpressureSink sink in _backpressure) await sink.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                if (_maxSamples > 0 && ++processed >= _maxSamples) break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM / Ctrl+C: a clean stop
        }
        finally
        {
            if (FirstSampleUtc is not null) LoopTime = System.Diagnostics.Stopwatch.GetElapsedTime(firstTicks);
            foreach (ISampleSink sink in _sinks)
            {
                try
                {
                    sink.Flush();
                }
                catch (IOException)
                {
                    // stdout closed (e.g. piped into head): nothing left to tell it
                }
            }
        }
    }
}
