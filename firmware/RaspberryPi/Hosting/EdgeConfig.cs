using System.Text.Json;
using System.Text.Json.Serialization;

namespace Embedded.Edge.Hosting;

/// <summary>
/// Everything the app can be told, from a JSON file (<c>--config</c>) and/or flags (flags win).
/// Property names are the flag names in camelCase; see docs/RASPBERRYPI.md for a full example.
/// </summary>
public sealed class EdgeConfig
{
    /// <summary>Model file (watched for replacements).</summary>
    public string? Model { get; set; }

    /// <summary>"csv:FILE", "stdin", "serial:PORT" or "i2c".</summary>
    public string? Source { get; set; }

    /// <summary>Replay speed for csv/stdin: "max", "realtime" or a factor.</summary>
    public string? Speed { get; set; }

    /// <summary>CSV/serial column holding the timestamp (name or 0-based index).</summary>
    public string? TimestampColumn { get; set; }

    /// <summary>CSV/serial value columns in model-input order (names or indices); default: all but the timestamp.</summary>
    public List<string>? Columns { get; set; }

    public int? Baud { get; set; }

    /// <summary>I2C channels in model-input order, e.g. "mpu6050.accel_z", "bme280@1:0x77.pressure".</summary>
    public List<string>? Sensors { get; set; }

    public double? RateHz { get; set; }

    /// <summary>Use simulated chips (and a simulated GPIO driver) instead of hardware.</summary>
    public bool? Simulate { get; set; }

    /// <summary>"json" (every sample), "events" (anomalies only), "scores-csv", "raw-csv" (training data; the only one that runs without a model) or "none".</summary>
    public string? Output { get; set; }

    public GpioConfig? Gpio { get; set; }

    /// <summary>Detector settings laid over every model's own (docs/DETECTION.md); unset fields keep the model's.</summary>
    public DetectorConfig? Detector { get; set; }

    public MqttConfig? Mqtt { get; set; }

    /// <summary>Polling interval of the model watcher, seconds.</summary>
    public double? ModelPollSeconds { get; set; }

    /// <summary>Period of the status log line, seconds (default 60).</summary>
    public double? StatusSeconds { get; set; }

    /// <summary>Stop after this many samples (0 = run until end of input or SIGTERM).</summary>
    public long? MaxSamples { get; set; }

    public static EdgeConfig Load(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, EdgeConfigJson.Default.EdgeConfig) ?? new EdgeConfig();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: line {e.LineNumber + 1}, {e.Path}: {e.Message}", e);
        }
    }
}

public sealed class DetectorConfig
{
    /// <summary>Sensitivity: decades of tail probability that set the state and alarm (the model's default: 6).</summary>
    public double? ThresholdDecades { get; set; }
    public int? HoldOff { get; set; }
    public int? Warmup { get; set; }
    public int? StateHold { get; set; }

    /// <summary>The portable settings the engine applies; a value out of range is a configuration error.</summary>
    public Embedded.Shared.Detection.DetectorSettings ToSettings()
    {
        var s = new Embedded.Shared.Detection.DetectorSettings();
        if (ThresholdDecades is double d)
        {
            if (!(d > 0 && d <= 60)) throw new EdgeConfigException($"--threshold-decades must be in (0, 60], is {d}");
            s.ThresholdDecadesQ8 = Embedded.Shared.Detection.DetectorSettings.DecadesQ8(d);
        }
        s.HoldOffSamples = Check("--hold-off", HoldOff);
        s.WarmupSamples = Check("--warmup", Warmup);
        s.StateHoldSamples = Check("--state-hold", StateHold);
        return s;
    }

    private static int Check(string option, int? value) =>
        value is not int v ? Embedded.Shared.Detection.DetectorSettings.Keep
        : v is >= 0 and <= 65535 ? v : throw new EdgeConfigException($"{option} must be 0..65535, is {v}");
}

public sealed class GpioConfig
{
    /// <summary>gpiochip number (0 on a Pi 4, 4 on a Pi 5 with older kernels; libgpiod numbering).</summary>
    public int? Chip { get; set; }

    /// <summary>Line (BCM GPIO number) driven on anomaly.</summary>
    public int? Pin { get; set; }

    public int? HoldMs { get; set; }

    public bool? ActiveLow { get; set; }
}

public sealed class MqttConfig
{
    public string? Host { get; set; }
    public int? Port { get; set; }
    public string? ClientId { get; set; }
    public string? Topic { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public bool? Tls { get; set; }
    public bool? TlsInsecure { get; set; }
    public bool? AllSamples { get; set; }
    public double? StatusSeconds { get; set; }
    public int? Buffer { get; set; }
    /// <summary>QoS of events and samples: 0 or 1 (default 1).</summary>
    public int? Qos { get; set; }
    /// <summary>How long shutdown waits for buffered messages (default 5 s).</summary>
    public double? DrainSeconds { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(EdgeConfig))]
internal sealed partial class EdgeConfigJson : JsonSerializerContext
{
}
