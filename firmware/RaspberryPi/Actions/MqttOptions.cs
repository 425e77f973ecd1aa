namespace Embedded.Edge.Actions;

/// <summary>Broker connection and publishing settings.</summary>
public sealed class MqttOptions
{
    public string Host { get; set; } = "localhost";

    /// <summary>1883, or 8883 with TLS when left at 0.</summary>
    public int Port { get; set; }

    public string ClientId { get; set; } = "embedded-edge-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>Events go to {prefix}/events, status to {prefix}/status (retained).</summary>
    public string TopicPrefix { get; set; } = "embedded-edge";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>Accept any server certificate (self-signed test brokers only).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>Publish every sample, not only anomalies.</summary>
    public bool PublishAllSamples { get; set; }

    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages kept until the broker acknowledges them; beyond it a live source drops the oldest, a replay waits.</summary>
    public int BufferCapacity { get; set; } = 10000;

    /// <summary>
    /// Replays (csv, stdin): when the buffer is full the loop waits for the broker instead of dropping
    /// (<see cref="MqttPublisher.WaitForRoomAsync"/>). Live sources leave it off: drop-oldest, counted.
    /// </summary>
    public bool Backpressure { get; set; }

    /// <summary>QoS of events: 1 (at least once, default; removed from the buffer on PUBACK) or 0 (at most once).</summary>
    public int QualityOfService { get; set; } = 1;

    /// <summary>Publishes in flight at once (pipelined); capped by the broker's MQTT 5 receive maximum.</summary>
    public int MaxInFlight { get; set; } = 512;

    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long shutdown waits for buffered messages to reach the broker; what is left is counted as not delivered.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int EffectivePort => Port != 0 ? Port : UseTls ? 8883 : 1883;

    public string EventsTopic => TopicPrefix + "/events";

    public string StatusTopic => TopicPrefix + "/status";
}
