using System.Text;
using System.Text.Json;
using Embedded.Edge.Engine;
using Embedded.Edge.Hosting;
using Embedded.Edge.Sources;
using MQTTnet;
using MQTTnet.Protocol;

namespace Embedded.Edge.Actions;

/// <summary>
/// Publishes anomaly events (or every sample) and a periodic retained status to an MQTT broker with
/// MQTTnet. The loop only enqueues; a background task connects, publishes at QoS 1 in order and
/// removes a message once the broker acknowledged it. While the broker is away messages wait in a
/// bounded buffer and the task reconnects with exponential back-off; TLS and username/password are
/// options.
/// </summary>
public sealed class MqttPublisher : ISampleSink
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
    private bool _wasConnected;

    public MqttPublisher(MqttOptions options, EdgeCounters counters, EdgeLog log, Func<string> describeModel)
    {
        _options = options;
        _counters = counters;
        _log = log;
        _describeModel = describeModel;
        _buffer = new OfflineBuffer<OutgoingMessage>(options.BufferCapacity);
        _client = new MqttClientFactory().CreateMqttClient();
        _worker = Task.Run(() => RunAsync(_stop.Token));
        _statusTimer = new Timer(_ => EnqueueStatus(), null, TimeSpan.Zero, options.StatusInterval);
    }

    /// <summary>Messages waiting for the broker.</summary>
    public int Pending => _buffer.Count;

    public bool IsConnected => _client.IsConnected;

    public void OnSample(Sample sample, in StepResult result)
    {
        if (!_options.PublishAllSamples && !result.IsAlarm) return;
        Enqueue(new OutgoingMessage(_options.EventsTopic, JsonLinesSink.ToUtf8(sample, result), Retain: false));
    }

    public void Flush()
    {
    }

    /// <summary>Queues the status message now (also done every StatusInterval).</summary>
    public void EnqueueStatus()
    {
        try
        {
            Enqueue(new OutgoingMessage(_options.StatusTopic, StatusPayload(), Retain: true));
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _statusTimer.DisposeAsync().ConfigureAwait(false);
        // Give buffered messages a short chance to reach the broker, then stop.
        var deadline = DateTime.UtcNow + _options.DrainTimeout;
        while (_buffer.Count > 0 && _client.IsConnected && DateTime.UtcNow < deadline) await Task.Delay(20).ConfigureAwait(false);
        if (_buffer.Count > 0) _log.Warn($"mqtt: {_buffer.Count} message(s) not delivered at shutdown.");
        _stop.Cancel();
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

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
            _log.WarnLimited("mqtt-drop", $"mqtt: offline buffer full ({_options.BufferCapacity}); oldest message dropped.");
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
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    MqttClientConnectResult connected = await _client.ConnectAsync(clientOptions, cancellationToken).ConfigureAwait(false);
                    // A refusal (bad credentials, not authorised) comes back as a result code, not an exception.
                    if (connected.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        if (_client.IsConnected) await _client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
                        throw new IOException($"broker refused the connection ({connected.ResultCode}{(string.IsNullOrEmpty(connected.ReasonString) ? "" : ": " + connected.ReasonString)})");
                    }

                    _log.Info($"mqtt: connected to {_options.Host}:{_options.EffectivePort}{(_buffer.Count > 0 ? $", {_buffer.Count} buffered message(s) to send" : "")}");
                    _wasConnected = true;
                    delay = _options.ReconnectDelay;
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

            if (!_buffer.TryPeek(out OutgoingMessage message))
            {
                try
                {
                    await _buffer.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                MqttApplicationMessage app = new MqttApplicationMessageBuilder()
                    .WithTopic(message.Topic)
                    .WithPayload(message.Payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithRetainFlag(message.Retain)
                    .Build();
                MqttClientPublishResult result = await _client.PublishAsync(app, cancellationToken).ConfigureAwait(false);
                if (!result.IsSuccess) throw new IOException($"broker refused the message ({result.ReasonCode}).");
                _buffer.RemoveFirst(message);
                _counters.AddMqttPublished();
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

                await SleepAsync(delay, cancellationToken).ConfigureAwait(false);
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

    private readonly record struct OutgoingMessage(string Topic, byte[] Payload, bool Retain);
}
