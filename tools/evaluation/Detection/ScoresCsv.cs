using System.Globalization;
using System.Text;
using Embedded.Evaluation.Data;

namespace Embedded.Evaluation.Detection;

/// <summary>
/// Writes detection results: header <c>timestamp,value,prediction,anomaly_score,is_anomaly,alarm</c> for a
/// single channel (several channels: <c>timestamp,&lt;name&gt;,&lt;name&gt;_prediction,...,anomaly_score,is_anomaly,alarm</c>),
/// one row per input row in input order. Missing input values are written as empty fields. Written to
/// a temporary file first and moved into place, so a failed run never leaves half a file.
/// </summary>
public static class ScoresCsv
{
    public static string Header(TimeSeries series)
    {
        if (series.ChannelCount == 1) return "timestamp,value,prediction,anomaly_score,is_anomaly,alarm";
        var names = series.ChannelNames.SelectMany(n => new[] { n, n + "_prediction" });
        return "timestamp," + string.Join(',', names) + ",anomaly_score,is_anomaly,alarm";
    }

    public static void Write(string path, TimeSeries series, ScoredStream scored)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        string temporary = path + ".tmp";
        var text = new StringBuilder();
        text.Append(Header(series)).Append('\n');
        for (int t = 0; t < series.RowCount; t++)
        {
            text.Append(series.TimestampText[t]);
            for (int c = 0; c < series.ChannelCount; c++)
            {
                double value = series.Values[t][c];
                text.Append(',');
                if (!double.IsNaN(value)) text.Append(value.ToString("R", CultureInfo.InvariantCulture));
                text.Append(',').Append(scored.Predictions[t][c].ToString("G9", CultureInfo.InvariantCulture));
            }
            text.Append(',').Append(scored.Scores[t].ToString("0.######", CultureInfo.InvariantCulture));
            text.Append(',').Append(scored.Anomalies[t] ? '1' : '0');
            text.Append(',').Append(scored.Alarms[t] ? '1' : '0').Append('\n');
        }
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
    }
}
