using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Embedded.Edge.Tests.Support;

/// <summary>
/// A counting subscriber on PREFIX/events: records each message's "t" in arrival order. Persistent session
/// (MQTT 5 with an expiry interval) subscribed at QoS 1, so the broker keeps its subscription and queues
/// its messages across a broker restart, whichever client reconnects first.
/// </summary>
internal sealed class EventSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly int _port;
    private readonly string _topic;
    private readonly List<string> _times = new();

    public EventSubscriber(int port, string topicPrefix)
    {
        _port = port;
        _topic = topicPrefix + "/events";
        _client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic != _topic) return Task.CompletedTask;
            var reader = new Utf8JsonReader(e.ApplicationMessage.Payload);
            string? t = JsonDocument.ParseValue(ref reader).RootElement.GetProperty("t").GetString();
            lock (_times) _times.Add(t ?? "");
            return Task.CompletedTask;
        };
    }

    /// <summary>Messages received (duplicates included: QoS 1 is at least once).</summary>
    public int Count
    {
        get
        {
            lock (_times) return _times.Count;
        }
    }

    public string[] Times
    {
        get
        {
            lock (_times) return _times.ToArray();
        }
    }

    /// <summary>Each timestamp once, at its first arrival.</summary>
    public string[] FirstArrivals => Times.Distinct().ToArray();

    public async Task ConnectAsync()
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _port).WithClientId("edge-test-counter")
            .WithCleanSession(false).WithSessionExpiryInterval(3600).Build();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await _client.ConnectAsync(options);
                break;
            }
            catch (Exception) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }

        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(_topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync();
        }
        catch (Exception)
        {
        }

        _client.Dispose();
    }
}
