using Embedded.Edge.Sources;

namespace Embedded.Edge.Tests.Sources;

public class LiveCsvLayoutTests
{
    private static List<LiveCsvLayout.LineKind> Feed(LiveCsvLayout layout, List<double[]> samples, params string[] lines)
    {
        var kinds = new List<LiveCsvLayout.LineKind>();
        foreach (string line in lines)
        {
            LiveCsvLayout.LineKind kind = layout.Parse(line, out _, out double[] values, out _);
            kinds.Add(kind);
            if (kind == LiveCsvLayout.LineKind.Sample) samples.Add(values);
        }

        return kinds;
    }

    [Fact]
    public void OneNoiseLineThatLooksLikeAHeaderDoesNotFreezeTheLayout()
    {
        // The issue: "xx,yy" first made every later valid 1-value line "expected 2 fields", forever.
        var layout = new LiveCsvLayout(1, null, null, "serial test");
        var samples = new List<double[]>();
        Feed(layout, samples, "xx,yy", "1.5", "2.5");
        Assert.Equal([[1.5], [2.5]], samples);

        // Noise that resolves to the model's shape ("time" names a timestamp) is dropped at the next line.
        layout = new LiveCsvLayout(1, null, null, "serial test");
        samples.Clear();
        Feed(layout, samples, "1.0", "time,zz", "3.5", "4.5");
        Assert.Equal([[1.0], [3.5], [4.5]], samples);
    }

    [Fact]
    public void AHeaderMayArriveLaterAndADateTimestampIsStillData()
    {
        var layout = new LiveCsvLayout(1, null, null, "serial test");
        var samples = new List<double[]>();
        var kinds = Feed(layout, samples, "garbage,half,line", "timestamp,value", "2014-07-01 00:00:00,5", "2014-07-01 00:30:00,6");
        Assert.Equal([LiveCsvLayout.LineKind.Malformed, LiveCsvLayout.LineKind.Header, LiveCsvLayout.LineKind.Sample, LiveCsvLayout.LineKind.Sample], kinds);
        Assert.Equal([[5.0], [6.0]], samples);
    }

    [Fact]
    public void TimestampColumnByNameWaitsForAHeaderInsteadOfStopping()
    {
        // Opened mid-stream with --timestamp-column time: data lines come before any header.
        var layout = new LiveCsvLayout(1, "time", null, "serial test");
        var samples = new List<double[]>();
        Assert.Equal(LiveCsvLayout.LineKind.Malformed, layout.Parse("100,1.5", out _, out _, out string error));
        Assert.Contains("no header line yet", error);
        Feed(layout, samples, "101,1.6", "time,value", "102,1.7");
        Assert.Equal([[1.7]], samples);
    }
}
