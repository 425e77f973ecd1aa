using System.Text;
using System.Text.Json;
using Embedded.Edge.Engine;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Actions;

/// <summary>
/// One JSON object per line: <c>{"t":"...","values":[...],"prediction":...,"score":...,"anomaly":false}</c>,
/// for every sample or only for anomalies. "prediction" is a number for a one-output model, an array
/// otherwise, and null for the first sample (nothing was forecast for it yet). A missing value (NaN,
/// infinity) is written as null: JSON has no NaN, and the writer would throw.
/// </summary>
public sealed class JsonLinesSink : ISampleSink
{
    private readonly Stream _stream;
    private readonly bool _eventsOnly;
    private readonly bool _flushEachLine;
    private readonly Utf8JsonWriter _json;
    private readonly bool _ownsStream;

    public JsonLinesSink(Stream stream, bool eventsOnly, bool flushEachLine, bool ownsStream = false)
    {
        _stream = new BufferedStream(stream, 64 * 1024);
        _eventsOnly = eventsOnly;
        _flushEachLine = flushEachLine;
        _ownsStream = ownsStream;
        _json = new Utf8JsonWriter(_stream, new JsonWriterOptions { SkipValidation = true });
    }

    public void OnSample(Sample sample, in StepResult result)
    {
        if (_eventsOnly && !result.IsAlarm) return;
        Write(_json, sample, result);
        _json.Flush();
        _json.Reset();
        _stream.WriteByte((byte)'\n');
        if (_flushEachLine) _stream.Flush();
    }

    /// <summary>The JSON object for one sample (also the MQTT event payload).</summary>
    public static void Write(Utf8JsonWriter json, Sample sample, in StepResult result)
    {
        json.WriteStartObject();
        json.WriteString("t", sample.Timestamp);
        json.WriteStartArray("values");
        foreach (double v in sample.Values) WriteNumberOrNull(json, v);
        json.WriteEndArray();
        json.WritePropertyName("prediction");
        if (!result.HasForecast)
        {
            json.WriteNullValue();
        }
        else if (result.Forecast.Length == 1)
        {
            WriteNumberOrNull(json, result.Forecast[0]);
        }
        else
        {
            json.WriteStartArray();
            foreach (double p in result.Forecast) WriteNumberOrNull(json, p);
            json.WriteEndArray();
        }

        json.WritePropertyName("score");
        WriteNumberOrNull(json, result.Score);
        json.WriteBoolean("anomaly", result.IsAnomaly);
        json.WriteBoolean("alarm", result.IsAlarm);
        // Which sensor, and what about it, while there is something to report.
        if ((result.IsAnomaly || result.IsAlarm) && result.LeadingChannel >= 0)
        {
            json.WriteStartObject("cause");
            json.WriteNumber("channel", result.LeadingChannel);
            json.WriteString("kind", result.LeadingKind);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value)) json.WriteNumberValue(value);
        else json.WriteNullValue();
    }

    public static byte[] ToUtf8(Sample sample, in StepResult result)
    {
        var buffer = new MemoryStream(128);
        using (var json = new Utf8JsonWriter(buffer)) Write(json, sample, result);
        return buffer.ToArray();
    }

    public static string ToText(Sample sample, in StepResult result) => Encoding.UTF8.GetString(ToUtf8(sample, result));

    public void Flush() => _stream.Flush();

    public ValueTask DisposeAsync()
    {
        _stream.Flush();
        _json.Dispose();
        if (_ownsStream) _stream.Dispose();
        return ValueTask.CompletedTask;
    }
}
