using System.Globalization;
using System.Text;
using Embedded.Edge.Engine;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Actions;

/// <summary>
/// <c>--output raw-csv</c>: training data as the source sees it, for <c>embedded train</c> and <c>detect</c>:
/// <c>timestamp,CHANNEL,...</c> (the source's channel names, e.g. <c>mpu6050.accel_z</c>) and one row per sample
/// with the raw values in round-trip form (a missing value is an empty cell). No scores: works with or without a model.
/// </summary>
public sealed class RawCsvSink : ISampleSink
{
    private readonly TextWriter _writer;
    private readonly bool _flushEachLine;
    private readonly StringBuilder _row = new(128);

    public RawCsvSink(TextWriter writer, IReadOnlyList<string> channelNames, bool flushEachLine)
    {
        _writer = writer;
        _flushEachLine = flushEachLine;
        _writer.Write(Header(channelNames));
        _writer.Write('\n');
    }

    public static string Header(IReadOnlyList<string> channelNames) => "timestamp," + string.Join(',', channelNames);

    /// <summary>Number of rows written.</summary>
    public long Rows { get; private set; }

    public void OnSample(Sample sample, in StepResult result) => Write(sample);

    public void Write(Sample sample)
    {
        _row.Clear();
        _row.Append(sample.Timestamp);
        foreach (double value in sample.Values)
        {
            _row.Append(',');
            if (!double.IsNaN(value)) _row.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
        _writer.Write(_row);
        _writer.Write('\n');
        Rows++;
        if (_flushEachLine) _writer.Flush();
    }

    public void Flush() => _writer.Flush();

    public ValueTask DisposeAsync()
    {
        _writer.Flush();
        return ValueTask.CompletedTask;
    }
}
