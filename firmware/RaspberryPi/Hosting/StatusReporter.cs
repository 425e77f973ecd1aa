namespace Embedded.Edge.Hosting;

/// <summary>
/// The periodic status log line (every <c>--status-seconds</c>, default 60): samples, alarms, what was
/// dropped (serial queue, MQTT buffer) and the MQTT buffer. A period in which anything was dropped makes
/// it a warning naming how many since the last line, so drops that go on are warned about every period,
/// not once per run. The same counters are in the MQTT status message and the final summary.
/// </summary>
public sealed class StatusReporter : IDisposable
{
    private readonly EdgeCounters _counters;
    private readonly EdgeLog _log;
    private readonly Func<int>? _mqttPending;
    private readonly Timer? _timer;
    private readonly object _sync = new();
    private long _lastDropped;

    /// <param name="mqttPending">Messages waiting for the broker; null without MQTT.</param>
    /// <param name="interval">Period of the line; null: no timer (<see cref="Report"/> is called by hand).</param>
    public StatusReporter(EdgeCounters counters, EdgeLog log, Func<int>? mqttPending, TimeSpan? interval)
    {
        _counters = counters;
        _log = log;
        _mqttPending = mqttPending;
        if (interval is { } period) _timer = new Timer(_ => Report(), null, period, period);
    }

    /// <summary>Everything dropped so far: serial samples the loop had no time for and MQTT messages.</summary>
    public static long TotalDropped(EdgeCounters counters) => counters.SamplesDropped + counters.MqttDropped;

    /// <summary>Writes the status line now: a warning when something was dropped since the previous one.</summary>
    public void Report()
    {
        lock (_sync)
        {
            long dropped = TotalDropped(_counters);
            long since = dropped - _lastDropped;
            _lastDropped = dropped;
            string line = Line(_counters, _mqttPending?.Invoke());
            if (since > 0) _log.Warn($"{line} ({since} dropped since the last status)");
            else _log.Info(line);
        }
    }

    /// <summary>"status: 1200 samples, 3 anomalies, 0 samples dropped, mqtt 1190 published, 10 pending, 0 dropped".</summary>
    public static string Line(EdgeCounters c, int? mqttPending) =>
        $"status: {c.Samples} samples, {c.Anomalies} anomalies, {c.MalformedLines} malformed lines, {c.SamplesDropped} samples dropped, " +
        $"{c.SensorErrors} sensor errors, {c.Overruns} overruns" +
        (mqttPending is int pending ? $", mqtt {c.MqttPublished} published, {pending} pending, {c.MqttDropped} dropped" : "");

    public void Dispose() => _timer?.Dispose();
}
