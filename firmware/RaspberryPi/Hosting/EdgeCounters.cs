namespace Embedded.Edge.Hosting;

/// <summary>Operational counters, updated from several threads, published in the status message.</summary>
public sealed class EdgeCounters
{
    private long _samples, _anomalies, _malformed, _sensorErrors, _overruns, _modelsAccepted, _modelsRejected, _mqttPublished, _mqttDropped, _linesTooLong, _samplesDropped, _mqttUndelivered;

    public long Samples => Interlocked.Read(ref _samples);
    public long Anomalies => Interlocked.Read(ref _anomalies);
    /// <summary>Input lines that could not be parsed (serial, stdin, CSV).</summary>
    public long MalformedLines => Interlocked.Read(ref _malformed);
    /// <summary>Input lines dropped for exceeding the line length cap (serial).</summary>
    public long LinesTooLong => Interlocked.Read(ref _linesTooLong);
    /// <summary>Samples dropped from a full input queue because the loop fell behind (serial).</summary>
    public long SamplesDropped => Interlocked.Read(ref _samplesDropped);
    /// <summary>Sensor reads that failed (NACK, timeout, stuck conversion).</summary>
    public long SensorErrors => Interlocked.Read(ref _sensorErrors);
    /// <summary>Sampling periods missed because the previous sample took too long.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);
    public long ModelsAccepted => Interlocked.Read(ref _modelsAccepted);
    public long ModelsRejected => Interlocked.Read(ref _modelsRejected);
    public long MqttPublished => Interlocked.Read(ref _mqttPublished);
    /// <summary>Messages dropped because the buffer was full (live sources only) or the broker refused them.</summary>
    public long MqttDropped => Interlocked.Read(ref _mqttDropped);
    /// <summary>Messages still buffered when the shutdown drain ran out of time.</summary>
    public long MqttUndelivered => Interlocked.Read(ref _mqttUndelivered);

    public void AddSample() => Interlocked.Increment(ref _samples);
    public void AddAnomaly() => Interlocked.Increment(ref _anomalies);
    public void AddMalformedLine() => Interlocked.Increment(ref _malformed);
    public void AddLineTooLong() => Interlocked.Increment(ref _linesTooLong);
    public void AddSampleDropped() => Interlocked.Increment(ref _samplesDropped);
    public void AddSensorError() => Interlocked.Increment(ref _sensorErrors);
    public void AddOverruns(long count) => Interlocked.Add(ref _overruns, count);
    public void AddModelAccepted() => Interlocked.Increment(ref _modelsAccepted);
    public void AddModelRejected() => Interlocked.Increment(ref _modelsRejected);
    public void AddMqttPublished() => Interlocked.Increment(ref _mqttPublished);
    public void AddMqttDropped() => Interlocked.Increment(ref _mqttDropped);
    public void SetMqttUndelivered(long count) => Interlocked.Exchange(ref _mqttUndelivered, count);

    /// <summary>Samples beyond the model's calibrated values by more than their range (the model may not fit the input).</summary>
    public long OutOfRangeSamples => Interlocked.Read(ref _outOfRange);
    private long _outOfRange;
    public void AddOutOfRange() => Interlocked.Increment(ref _outOfRange);
}
