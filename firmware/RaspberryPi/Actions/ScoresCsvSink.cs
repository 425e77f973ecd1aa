using System.Globalization;
using System.Text;
using Embedded.Edge.Engine;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Actions;

/// <summary>
/// The <c>detect</c> pipeline's CSV, so a replay through the app can be diffed against <c>detect</c>'s
/// output: <c>timestamp,value,prediction,anomaly_score,is_anomaly</c> for one channel,
/// <c>timestamp,NAME,NAME_prediction,...,anomaly_score,is_anomaly</c> for several. Values in round-trip
/// form (empty when missing), predictions as G9, scores as 0.######, exactly as detect writes them.
/// </summary>
public sealed class ScoresCsvSink : ISampleSink
{
    public const string SingleChannelHeader = "timestamp,value,prediction,anomaly_score,is_anomaly,alarm";

    private readonly TextWriter _writer;
    private readonly bool _flushEachLine;
    private readonly StringBuilder _row = new(128);

    public ScoresCsvSink(TextWriter writer, IReadOnlyList<string> channelNames, bool flushEachLine)
    {
        _writer = writer;
        _flushEachLine = flushEachLine;
        _writer.Write(Header(channelNames));
        _writer.Write('\n');
    }

    public static string Header(IReadOnlyList<string> channelNames) =>
        channelNames.Count == 1
            ? SingleChannelHeader
            : "timestamp," + string.Join(',', channelNames.SelectMany(n => new[] { n, n + "_prediction" })) + ",anomaly_score,is_anomaly,alarm";

    public void OnSample(Sample sample, in StepResult result)
    {
        _row.Clear();
        AppendRow(_row, sample, result);
        _writer.Write(_row);
        _writer.Write('\n');
        if (_flushEachLine) _writer.Flush();
    }

    public static void AppendRow(StringBuilder row, Sample sample, in StepResult result)
    {
        row.Append(sample.Timestamp);
        for (int c = 0; c < sample.Values.Length; c++)
        {
            double value = sample.Values[c];
            row.Append(',');
            if (!double.IsNaN(value)) row.Append(value.ToString("R", CultureInfo.InvariantCulture));
            row.Append(',');
            if (c < result.Forecast.Length) row.Append(result.Forecast[c].ToString("G9", CultureInfo.InvariantCulture));
        }

        row.Append(',').Append(result.Score.ToString("0.######", CultureInfo.InvariantCulture));
        row.Append(',').Append(result.IsAnomaly ? '1' : '0');
        row.Append(',').Append(result.IsAlarm ? '1' : '0');
    }

    public void Flush() => _writer.Flush();

    public ValueTask DisposeAsync()
    {
        _writer.Flush();
        return ValueTask.CompletedTask;
    }
}
