using System.Device.I2c;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Embedded.Edge.Hosting;

namespace Embedded.Edge.Sources.I2c;

/// <summary>
/// Samples I2C chips at a fixed rate on a monotonic (Stopwatch) schedule. Deadlines advance by whole
/// periods from the start, so jitter does not accumulate; a sample that finishes after its next deadline
/// counts the missed periods as overruns and the schedule skips ahead. A chip that fails is logged and
/// counted, its sample is dropped, and its driver is re-created (re-probed) on the next period, so a chip
/// that comes back after a power glitch is reinitialised.
/// </summary>
public sealed class I2cSensorSource : ISampleSource
{
    private readonly SensorChannelSpec[] _channels;
    private readonly Func<int, int, I2cDevice> _openBus;
    private readonly double _rateHz;
    private readonly EdgeCounters _counters;
    private readonly EdgeLog _log;
    private readonly Dictionary<string, SensorDevice?> _devices = new();
    private readonly Action<double>? _beforeSample;

    /// <param name="openBus">Opens (bus id, address): I2cDevice.Create on a Pi, simulated chips with --simulate.</param>
    /// <param name="beforeSample">Called with the elapsed seconds before each sample (the simulation moves its world).</param>
    public I2cSensorSource(IReadOnlyList<SensorChannelSpec> channels, double rateHz, Func<int, int, I2cDevice> openBus, EdgeCounters counters, EdgeLog log,
        Action<double>? beforeSample = null)
    {
        if (channels.Count == 0) throw new ArgumentException("no sensor channels given.");
        if (!(rateHz > 0 && rateHz <= 10000)) throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, "sampling rate must be in (0, 10000] Hz.");
        _channels = channels.ToArray();
        _rateHz = rateHz;
        _openBus = openBus;
        _counters = counters;
        _log = log;
        _beforeSample = beforeSample;
        ChannelNames = _channels.Select(c => c.Text).ToArray();
    }

    public IReadOnlyList<string> ChannelNames { get; }

    public async IAsyncEnumerable<Sample> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long period = (long)Math.Round(Stopwatch.Frequency / _rateHz);
        long start = Stopwatch.GetTimestamp();
        long due = start;
        while (!cancellationToken.IsCancellationRequested)
        {
            _beforeSample?.Invoke(Stopwatch.GetElapsedTime(start).TotalSeconds);
            Sample? sample = TrySample();
            if (sample is not null) yield return sample;

            due += period;
            long now = Stopwatch.GetTimestamp();
            if (now >= due + period)
            {
                long missed = (now - due) / period;
                _counters.AddOverruns(missed);
                _log.WarnLimited("overrun", $"sampling overrun: {missed} period(s) of {1000.0 / _rateHz:0.###} ms missed");
                due += missed * period;
            }

            bool cancelled = await WaitUntilAsync(due, cancellationToken).ConfigureAwait(false);
            if (cancelled) yield break;
        }
    }

    public void Dispose()
    {
        foreach (SensorDevice? device in _devices.Values) device?.Dispose();
        _devices.Clear();
    }

    private Sample? TrySample()
    {
        bool ok = true;
        foreach (IGrouping<string, SensorChannelSpec> group in _channels.GroupBy(c => c.DeviceKey))
        {
            try
            {
                SensorDevice device = GetOrOpen(group.Key, group.First(), group.Select(c => c.Quantity).ToArray());
                device.Sample();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The bindings report a chip that does not answer with IOException (NACK, timeout), TimeoutException
                // (ADS1115 conversion) or, for odd register contents, other exceptions: none may stop the loop.
                ok = false;
                _counters.AddSensorError();
                string what = e is IOException or TimeoutException or UnauthorizedAccessException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                _log.WarnLimited("sensor " + group.Key, $"sensor {group.Key}: {what}; sample dropped, will re-probe.");
                if (_devices.TryGetValue(group.Key, out SensorDevice? broken)) broken?.Dispose();
                _devices[group.Key] = null;
            }
        }

        if (!ok) return null;
        var values = new double[_channels.Length];
        for (int i = 0; i < values.Length; i++) values[i] = _devices[_channels[i].DeviceKey]!.Get(_channels[i].Quantity);
        return new Sample(TimestampClock.Now(), values);
    }

    private SensorDevice GetOrOpen(string key, SensorChannelSpec spec, string[] quantities)
    {
        if (_devices.TryGetValue(key, out SensorDevice? device) && device is not null) return device;
        I2cDevice bus = _openBus(spec.Bus, spec.Address);
        try
        {
            device = spec.Device.Open(bus, quantities);
        }
        catch
        {
            bus.Dispose();
            throw;
        }

        _devices[key] = device;
        _log.Info($"sensor {key} ready");
        return device;
    }

    /// <summary>Sleeps coarsely, then yields the CPU for the last millisecond so the deadline is met within tens of µs.</summary>
    private static async Task<bool> WaitUntilAsync(long due, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (cancellationToken.IsCancellationRequested) return true;
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0) return false;
            double ms = remaining * 1000.0 / Stopwatch.Frequency;
            if (ms > 2)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(ms - 1.5), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return true;
                }
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
