using System.Diagnostics;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Embedded.MqttBench;

/// <summary>
/// Subscribes to one run's events topic and counts what arrives: messages, distinct samples,
/// whether each new sample is the next one of the file (order), and the first and last arrival time.
/// </summary>
internal sealed class CountingSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly object _sync = new();
    private readonly HashSet<long> _seen = new();
    private string _topic = "";
    private long _max = -1, _outOfOrder, _messages;
    private long _firstTicks, _lastTicks;

    public CountingSubscriber()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            long now = Stopwatch.GetTimestamp();
            if (e.ApplicationMessage.Topic != _topic) return Task.CompletedTask;
            var reader = new Utf8JsonReader(e.ApplicationMessage.Payload);
            long t = long.Parse(JsonDocument.ParseValue(ref reader).RootElement.GetProperty("t").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            lock (_sync)
            {
                if (_messages++ == 0) _firstTicks = now;
                _lastTicks = now;
                // A gap is a loss, counted as such; a sample older than one already seen arrived out of order.
                if (_seen.Add(t))
                {
                    if (t < _max) _outOfOrder++;
                    else _max = t;
                }
            }

            return Task.CompletedTask;
        };
    }

    public long Messages
    {
        get
        {
            lock (_sync) return _messages;
        }
    }

    public long Distinct
    {
        get
        {
            lock (_sync) return _seen.Count;
        }
    }

    public long OutOfOrder
    {
        get
        {
            lock (_sync) return _outOfOrder;
        }
    }

    /// <summary>First to last arrival.</summary>
    public TimeSpan Span
    {
        get
        {
            lock (_sync) return Stopwatch.GetElapsedTime(_firstTicks, _lastTicks);
        }
    }

    public long LastArrivalTicks
    {
        get
        {
            lock (_sync) return _lastTicks;
        }
    }

    public async Task ConnectAsync(int port)
    {
        await _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("mqtt-bench-counter").Build());
    }

    /// <summary>Counts the given topic from now on (a fresh count); subscribed at <paramref name="qos"/>.</summary>
    public async Task WatchAsync(string topic, MqttQualityOfServiceLevel qos)
    {
        if (_topic.Length > 0) await _client.UnsubscribeAsync(_topic);
        lock (_sync)
        {
            _topic = topic;
            _seen.Clear();
            _outOfOrder = _messages = _firstTicks = _lastTicks = 0;
            _max = -1;
        }

        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, qos).Build());
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
