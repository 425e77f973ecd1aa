using Embedded.Edge.Hosting;
using Embedded.Edge.Sources;
using Embedded.Edge.Tests.Support;

namespace Embedded.Edge.Tests.Sources;

public class CsvReplaySourceTests
{
    private static async Task<List<Sample>> ReadAll(string csv, EdgeCounters counters, ListLog log, IReadOnlyList<string>? columns = null, string speed = "max")
    {
        using var source = new CsvReplaySource(new StringReader(csv), "test.csv", ReplaySpeed.Parse(speed), null, columns, counters, log.Log);
        var samples = new List<Sample>();
        await foreach (Sample s in source.ReadAllAsync(CancellationToken.None)) samples.Add(s);
        return samples;
    }

    [Fact]
    public async Task HeaderNamesTheTimestampAndValueColumns()
    {
        var counters = new EdgeCounters();
        var samples = await ReadAll("timestamp,value\n2014-07-01 00:00:00,10844\n2014-07-01 00:30:00,8127\n", counters, new ListLog());
        Assert.Equal(2, samples.Count);
        Assert.Equal("2014-07-01 00:00:00", samples[0].Timestamp);
        Assert.Equal([8127.0], samples[1].Values);
        Assert.Equal(0, counters.MalformedLines);
    }

    [Fact]
    public async Task SemicolonsTabsQuotesAndLabelColumnsAreReadAsDetectReadsThem()
    {
        // SKAB's layout: ';'-separated, a datetime column, two label columns that are ground truth, not sensors.
        var counters = new EdgeCounters();
        using (var skab = new CsvReplaySource(new StringReader("datetime;Accel;Flow;anomaly;changepoint\n2020-03-09 10:14:33;0.02;32.1;0;0\n2020-03-09 10:14:34;0.03;31.9;1;1\n"),
            "skab.csv", ReplaySpeed.Max, null, null, counters, new ListLog().Log))
        {
            Assert.Equal(["Accel", "Flow"], skab.ChannelNames);
            var samples = new List<Sample>();
            await foreach (Sample s in skab.ReadAllAsync(CancellationToken.None)) samples.Add(s);
            Assert.Equal([0.03, 31.9], samples[1].Values);
            Assert.Equal("2020-03-09 10:14:34", samples[1].Timestamp);
        }

        // Tab-separated with a quoted header name holding the delimiter's neighbour, and quoted values.
        var tabbed = await ReadAll("timestamp\t\"flow, l/min\"\n1\t\"4.5\"\n2\t5\n", counters, new ListLog());
        Assert.Equal([[4.5], [5.0]], tabbed.Select(s => s.Values));

        // A comma-separated value that holds the delimiter in quotes is one field.
        var log = new ListLog();
        var quoted = await ReadAll("timestamp,note,value\n1,\"a,b\",7\n2,\"open,9\n", counters, log, columns: ["value"]);
        Assert.Equal([[7.0]], quoted.Select(s => s.Values));
        Assert.True(log.Contains("test.csv line 3"), string.Join("\n", log.Lines)); // the unclosed quote: skipped, named
        Assert.Equal(1, counters.MalformedLines); // that line only, over the three sources
    }

    [Fact]
    public async Task MalformedLinesAreCountedLoggedWithLineNumberAndSkipped()
    {
        var counters = new EdgeCounters();
        var log = new ListLog();
        var samples = await ReadAll("timestamp,a,b\n1,1,2\n2,x,3\n3,4\n4,5,6\n", counters, log);
        Assert.Equal(2, samples.Count);
        Assert.Equal([5.0, 6.0], samples[1].Values);
        Assert.Equal(2, counters.MalformedLines);
        Assert.True(log.Contains("test.csv line 3"), string.Join("\n", log.Lines));
        Assert.True(log.Contains("test.csv line 4"));
    }

    [Theory]
    [InlineData("timestamp,value\n1,1\n1e300,2\n1e300,3\n")] // TimeSpan overflow
    [InlineData("timestamp,value\n2014-01-01 00:00:00,1\n2014-03-01 00:00:00,2\n2014-03-01 00:00:00,3\n")] // past Task.Delay's 49.7 days
    [InlineData("timestamp,value\n100000,1\n0,2\n0,3\n")] // clock reset: backwards
    public async Task RealTimeReplaySurvivesTimestampJumps(string csv)
    {
        var counters = new EdgeCounters();
        var log = new ListLog();
        using var source = new CsvReplaySource(new StringReader(csv), "jump.csv", ReplaySpeed.RealTime, null, null, counters, log.Log, maxPause: TimeSpan.FromMilliseconds(20));
        var samples = new List<Sample>();
        await foreach (Sample s in source.ReadAllAsync(CancellationToken.None)) samples.Add(s);
        Assert.Equal([1.0, 2.0, 3.0], samples.Select(s => s.Values[0]));
        Assert.True(log.Contains("jump.csv line 3: timestamp jumps"), string.Join("\n", log.Lines));
    }

    [Fact]
    public async Task EmptyNanAndNullFieldsAreMissingValues()
    {
        var counters = new EdgeCounters();
        var samples = await ReadAll("timestamp,value\n1,\n2,NaN\n3,null\n4,1e999\n", counters, new ListLog());
        Assert.Equal(4, samples.Count);
        Assert.All(samples, s => Assert.True(double.IsNaN(s.Values[0])));
        Assert.Equal(0, counters.MalformedLines);
    }

    [Fact]
    public async Task ChosenColumnsAreDeliveredInTheGivenOrder()
    {
        var samples = await ReadAll("time,a,b,c\n0,1,2,3\n", new EdgeCounters(), new ListLog(), ["c", "a"]);
        Assert.Equal([3.0, 1.0], samples[0].Values);
        Assert.Equal("0", samples[0].Timestamp);
    }

    [Fact]
    public async Task HeaderlessInputUsesIndicesAndRowNumbersAsTimestamps()
    {
        var samples = await ReadAll("1.5,2\n3,4\n", new EdgeCounters(), new ListLog(), ["1"]);
        Assert.Equal(["0", "1"], samples.Select(s => s.Timestamp));
        Assert.Equal([2.0], samples[0].Values);
    }

    [Fact]
    public void UnknownColumnIsAConfigurationErrorNamingTheHeader()
    {
        var error = Assert.Throws<FormatException>(() =>
            new CsvReplaySource(new StringReader("timestamp,value\n"), "nab.csv", ReplaySpeed.Max, null, ["temp"], new EdgeCounters(), new ListLog().Log));
        Assert.Contains("nab.csv", error.Message);
        Assert.Contains("temp", error.Message);
    }

    [Theory]
    [InlineData("max", double.PositiveInfinity)]
    [InlineData("realtime", 1.0)]
    [InlineData("60", 60.0)]
    [InlineData("2.5x", 2.5)]
    public void SpeedParses(string text, double factor) => Assert.Equal(factor, ReplaySpeed.Parse(text).Factor);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("fast-ish")]
    public void BadSpeedIsRejected(string text) => Assert.Throws<FormatException>(() => ReplaySpeed.Parse(text));

    [Fact]
    public async Task PacedReplayDeliversEverySampleInOrder()
    {
        // 10 samples 1 s apart at 1000x: paced, but the assertion is on content only.
        string csv = "timestamp,value\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"{i},{i}\n"));
        var samples = await ReadAll(csv, new EdgeCounters(), new ListLog(), speed: "1000");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), samples.Select(s => s.Values[0]));
    }
}
