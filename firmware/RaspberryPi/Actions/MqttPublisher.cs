using System.Text;
using System.Text.Json;
using Embedded.Edge.Engine;
using Embedded.Edge.Hosting;
using Embedded.Edge.Sources;
using MQTTnet;
using MQTTnet.Protocol;

namespace Embedded.Edge.Actions;

/// <summary>
/// Publishes alarms (or every sample) and a periodic retained status to an MQTT broker with MQTTnet.
/// The loop only enqueues; a background task connects and publishes in order with up to
/// <see cref="MqttOptions.MaxInFlight"/> publishes pipelined (QoS 1 by default), and removes a message
/// from the buffer once the broker acknowledged it and every one before it. A failure resends from the
/// oldest unacknowledged message (at least once, in order). A full buffer makes a replay wait
/// (<see cref="WaitForRoomAsync"/>, backpressure) and a live source drop its oldest message, counted.
/// The status is a single latest-value slot (retained: only the newest matters), sent before events.
/// Shutdown drains for at most <see cref="MqttOptions.DrainTimeout"/> and counts what is left.
/// TLS and username/password are options; the client reconnects with exponential back-off.
/// </summary>
public sealed class MqttPublisher : ISampleSink, IBackpressureSink
{
    private readonly MqttOptions _options;
    private readonly EdgeCounters _counters;
    private readonly EdgeLog _log;
    private readonly Func<string> _describeModel;
    private readonly OfflineBuffer<OutgoingMessage> _buffer;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private readonly Timer _statusTimer;
    private readonly DateTime _startedUtc = DateTime.UtcNow;
    private readonly MqttQualityOfServiceLevel _qos;
    private byte[]? _pendingStatus;
    private long _statusPublished;
    private long _firstSendTicks, _lastAckTicks, _acked;
    private int _warnedFull;
    private bool _wasConnected;

    public MqttPublisher(MqttOptions options, EdgeCounters counters, EdgeLog log, Func<string> describeModel)
    {
        if (options.QualityOfService is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(options), options.QualityOfService, "QoS must be 0 or 1.");
        if (options.MaxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxInFlight, "MaxInFlight must be at least 1.");
        _options = options;
        _counters = counters;
        _log = log;
        _describeModel = describeModel;
        _qos = options.QualityOfService == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce;
        _buffer = new OfflineBuffer<OutgoingMessage>(options.BufferCapacity);
        _client = new MqttClientFactory().CreateMqttClient();
        _worker = Task.Run(() => RunAsync(_stop.Token));
        _statusTimer = new Timer(_ => EnqueueStatus(), null, TimeSpan.Zero, options.StatusInterval);
    }

    /// <summary>Messages waiting for the broker (sent but not yet acknowledged included).</summary>
    public int Pending => _buffer.Count;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Status messages the broker acknowledged.</summary>
    public long StatusPublished => Interlocked.Read(ref _statusPublished);

    public void OnSample(Sample sample, in StepResult result)
    {
        if (!_options.PublishAllSamples && !result.IsAlarm) return;
        Enqueue(new OutgoingMessage(_options.EventsTopic, JsonLinesSink.ToUtf8(sample, result)));
    }

    /// <summary>With <see cref="MqttOptions.Backpressure"/>: completes once the buffer has room again; otherwise at once.</summary>
    public ValueTask WaitForRoomAsync(CancellationToken cancellationToken) =>
        _options.Backpressure ? _buffer.WaitForRoomAsync(cancellationToken) : ValueTask.CompletedTask;

    public void Flush()
    {
    }

    /// <summary>Sets the status message to send next (also done every StatusInterval); a newer one replaces an unsent one.</summary>
    public void EnqueueStatus()
    {
        try
        {
            Volatile.Write(ref _pendingStatus, StatusPayload());
            _buffer.Wake();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _statusTimer.DisposeAsync().ConfigureAwait(false);
        EnqueueStatus(); // the final counters
        // Give buffered messages a bounded time to reach the broker (it may also come back meanwhile), then stop.
        long before = _counters.MqttPublished;
        var drain = System.Diagnostics.Stopwatch.StartNew();
        while ((_buffer.Count > 0 || Volatile.Read(ref _pendingStatus) is not null) && drain.Elapsed < _options.DrainTimeout)
            await Task.Delay(10).ConfigureAwait(false);
        _stop.Cancel();
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        int left = _buffer.Count;
        _counters.SetMqttUndelivered(left);
        long drained = _counters.MqttPublished - before;
        string rate = _acked > 1 && _lastAckTicks > _firstSendTicks
            ? FormattableString.Invariant($"; {_acked} acknowledged in {System.Diagnostics.Stopwatch.GetElapsedTime(_firstSendTicks, _lastAckTicks).TotalSeconds:0.###} s ({_acked / System.Diagnostics.Stopwatch.GetElapsedTime(_firstSendTicks, _lastAckTicks).TotalSeconds:0} msg/s)")
            : "";
        if (left > 0)
            _log.Warn($"mqtt: shutdown drain ({_options.DrainTimeout.TotalSeconds:0.#} s): {drained} message(s) delivered, {left} not delivered{rate}.");
        else
            _log.Info($"mqtt: shutdown drain: {drained} message(s) delivered, 0 not delivered{rate}.");

        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // the broker went away while we were leaving
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private void Enqueue(OutgoingMessage message)
    {
        if (!_buffer.Add(message))
        {
            _counters.AddMqttDropped();
            // Said once here; the status line repeats the count every minute while drops go on.
            if (Interlocked.Exchange(ref _warnedFull, 1) == 0)
                _log.Warn($"mqtt: buffer full ({_options.BufferCapacity}); dropping the oldest messages (live source), counted in mqtt_dropped.");
        }
    }

    private byte[] StatusPayload()
    {
        var stream = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("t", TimestampClock.Now());
            json.WriteNumber("uptime_s", Math.Round((DateTime.UtcNow - _startedUtc).TotalSeconds, 1));
            json.WriteString("model", _describeModel());
            json.WriteNumber("samples", _counters.Samples);
            json.WriteNumber("anomalies", _counters.Anomalies);
            json.WriteNumber("malformed_lines", _counters.MalformedLines);
            json.WriteNumber("lines_too_long", _counters.LinesTooLong);
            json.WriteNumber("samples_dropped", _counters.SamplesDropped);
            json.WriteNumber("sensor_errors", _counters.SensorErrors);
            json.WriteNumber("overruns", _counters.Overruns);
            json.WriteNumber("models_accepted", _counters.ModelsAccepted);
            json.WriteNumber("models_rejected", _counters.ModelsRejected);
            json.WriteNumber("mqtt_published", _counters.MqttPublished);
            json.WriteNumber("mqtt_pending", _buffer.Count);
            json.WriteNumber("mqtt_dropped", _counters.MqttDropped);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private MqttClientOptions BuildClientOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.EffectivePort)
            .WithClientId(_options.ClientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(5))
            // One write per packet instead of header and payload apart: half the syscalls and segments per publish.
            .WithoutPacketFragmentation()
            .WithWillTopic(_options.StatusTopic)
            .WithWillPayload(Encoding.UTF8.GetBytes("{\"online\":false}"))
            .WithWillRetain(true);
        if (_options.Username is not null) builder = builder.WithCredentials(_options.Username, _options.Password ?? "");
        if (_options.UseTls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (_options.AllowUntrustedCertificates) tls.WithCertificateValidationHandler(_ => true);
            });
        }

        return builder.Build();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        MqttClientOptions clientOptions = BuildClientOptions();
        TimeSpan delay = _options.ReconnectDelay;
        var inFlight = new Queue<(long Seq, Task<MqttClientPublishResult> Publish)>();
        int window = _options.MaxInFlight;
        long nextSeq = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!_client.IsConnected)
                {
                    if (_wasConnected) _log.Warn($"mqtt: connection lost; {_buffer.Count} message(s) buffered until the broker is back.");
                    _wasConnected = false;
                    // Whatever was in flight is resent, from the oldest unacknowledged, once connected again.
                    await ForgetAsync(inFlight).ConfigureAwait(false);
                    try
                    {
                        MqttClientConnectResult connected = await _client.ConnectAsync(clientOptions, cancellationToken).ConfigureAwait(false);
                        // A refusal (bad credentials, not authorised) comes back as a result code, not an exception.
                        if (connected.ResultCode != MqttClientConnectResultCode.Success)
                        {
                            if (_client.IsConnected) await _client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                            throw new IOException($"broker refused the connection ({connected.ResultCode}{(string.IsNullOrEmpty(connected.ReasonString) ? "" : ": " + connected.ReasonString)})");
                        }

                        // MQTT 5: never more unacknowledged publishes than the broker says it takes.
                        window = connected.ReceiveMaximum > 0 ? Math.Min(_options.MaxInFlight, (int)connected.ReceiveMaximum) : _options.MaxInFlight;
                        _log.Info($"mqtt: connected to {_options.Host}:{_options.EffectivePort}{(_buffer.Count > 0 ? $", {_buffer.Count} buffered message(s) to send" : "")}");
                        _wasConnected = true;
                        delay = _options.ReconnectDelay;
                        nextSeq = _buffer.HeadSequence;
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        _log.WarnLimited("mqtt-connect", $"mqtt: cannot connect to {_options.Host}:{_options.EffectivePort}: {e.Message}; retrying in {delay.TotalSeconds:0.#} s.");
                        await SleepAsync(delay, cancellationToken).ConfigureAwait(false);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
                        continue;
                    }
                }

                try
                {
                    if (Interlocked.Exchange(ref _pendingStatus, null) is { } status) await PublishStatusAsync(status, cancellationToken).ConfigureAwait(false);

                    // Fill the window: publishes are pipelined, sent in buffer order.
                    while (inFlight.Count < window && _buffer.TryGet(nextSeq, out long seq, out OutgoingMessage message))
                    {
                        if (_firstSendTicks == 0) _firstSendTicks = System.Diagnostics.Stopwatch.GetTimestamp();
                        inFlight.Enqueue((seq, _client.PublishAsync(Build(message.Topic, message.Payload, _qos, retain: false), cancellationToken)));
                        nextSeq = seq + 1;
                    }

                    if (inFlight.Count == 0)
                    {
                        await _buffer.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    // Acknowledgements come in order; the oldest one frees the head of the buffer.
                    (long oldest, Task<MqttClientPublishResult> publish) = inFlight.Peek();
                    MqttClientPublishResult result = await publish.ConfigureAwait(false);
                    inFlight.Dequeue();
                    if (!IsAccepted(result))
                    {
                        // Resending a message the broker refuses (not authorised, bad topic) would stall everything behind it.
                        _counters.AddMqttDropped();
                        _log.WarnLimited("mqtt-refused", $"mqtt: broker refused a message ({result.ReasonCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : ": " + result.ReasonString)}); dropped, counted in mqtt_dropped.");
                    }
                    else
                    {
                        _counters.AddMqttPublished();
                    }

                    _buffer.RemoveThrough(oldest);
                    _acked++;
                    _lastAckTicks = System.Diagnostics.Stopwatch.GetTimestamp();
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    if (_wasConnected) _log.Warn($"mqtt: publish failed ({e.Message}); {_buffer.Count} message(s) buffered until the broker is back.");
                    _wasConnected = false;
                    try
                    {
                        if (_client.IsConnected) await _client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
                    }

                    // Everything not acknowledged is resent, from the oldest, after the reconnect.
                    await ForgetAsync(inFlight).ConfigureAwait(false);
                    nextSeq = _buffer.HeadSequence;
                    await SleepAsync(delay, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await ForgetAsync(inFlight).ConfigureAwait(false);
        }
    }

    private async Task PublishStatusAsync(byte[] status, CancellationToken cancellationToken)
    {
        try
        {
            MqttClientPublishResult result = await _client.PublishAsync(Build(_options.StatusTopic, status, MqttQualityOfServiceLevel.AtLeastOnce, retain: true), cancellationToken).ConfigureAwait(false);
            if (IsAccepted(result)) Interlocked.Increment(ref _statusPublished);
            else _log.WarnLimited("mqtt-refused-status", $"mqtt: broker refused the status message ({result.ReasonCode}).");
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not sent: put it back unless a newer one is already waiting.
            Interlocked.CompareExchange(ref _pendingStatus, status, null);
            throw;
        }
    }

    private static bool IsAccepted(MqttClientPublishResult result) =>
        result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers;

    private static MqttApplicationMessage Build(string topic, byte[] payload, MqttQualityOfServiceLevel qos, bool retain) =>
        new() { Topic = topic, PayloadSegment = new ArraySegment<byte>(payload), QualityOfServiceLevel = qos, Retain = retain };

    /// <summary>Waits for publishes given up on (they fail fast once disconnected), so none is left unobserved.</summary>
    private static async Task ForgetAsync(Queue<(long Seq, Task<MqttClientPublishResult> Publish)> inFlight)
    {
        while (inFlight.TryDequeue(out var entry))
        {
            try
            {
                await entry.Publish.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
            }
        }
    }

    private static async Task SleepAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private readonly record struct OutgoingMessage(string Topic, byte[] Payload);
}
