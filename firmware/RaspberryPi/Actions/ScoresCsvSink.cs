using System.Globalization;
using Embedded.Edge.Engine;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Actions;

/// <summary>
/// The <c>detect</c> pipeline's CSV (<c>timestamp,value,prediction,anomaly_score,is_anomaly</c>), so a
/// replay through the app can be diffed against <c>detect</c>'s output. value is the first channel,
/// prediction the first forecast (empty on the first row), numbers in shortest round-trip form.
/// </summary>
public sealed class ScoresCsvSink : ISampleSink
{
    public const string Header = "timestamp,value,prediction,anomaly_score,is_anomaly";

    private readonly TextWriter _writer;
    private readonly bool _flushEachLine;

    public ScoresCsvSink(TextWriter writer, bool flushEachLine)
    {
        _writer = writer;
        _flushEachLine = flushEachLine;
        _writer.WriteLine(Header);
    }

    public void OnSample(Sample sample, in StepResult result)
    {
        _writer.WriteLine(FormatRow(sample.Timestamp, sample.Values[0], result));
        if (_flushEachLine) _writer.Flush();
    }

    public static string FormatRow(string timestamp, double value, in StepResult result)
    {
        string prediction = result.HasForecast ? Number(result.Forecast[0]) : "";
        return timestamp + "," + Number(value) + "," + prediction + "," + Number(result.Score) + "," + (result.IsAnomaly ? "1" : "0");
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public void Flush() => _writer.Flush();

    public ValueTask DisposeAsync()
    {
        _writer.Flush();
        return ValueTask.CompletedTask;
    }
}
