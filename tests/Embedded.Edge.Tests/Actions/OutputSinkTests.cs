using System.Text;
using System.Text.Json;
using Embedded.Edge.Actions;
using Embedded.Edge.Engine;
using Embedded.Edge.Hosting;
using Embedded.Edge.Sources;
using Embedded.Edge.Tests.Support;

namespace Embedded.Edge.Tests.Actions;

public class OutputSinkTests
{
    private static string Run(bool eventsOnly, params (Sample Sample, StepResult Result)[] items)
    {
        var stream = new MemoryStream();
        var sink = new JsonLinesSink(stream, eventsOnly, flushEachLine: false);
        foreach (var (sample, result) in items) sink.OnSample(sample, result);
        sink.DisposeAsync().AsTask().Wait();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void JsonLineHasTheDocumentedShape()
    {
        string text = Run(false, (new Sample("2014-07-01 00:30:00", [8127.0]), new StepResult(true, [10211.5], [0], 0.25, 16384, false, false)));
        Assert.Equal("{\"t\":\"2014-07-01 00:30:00\",\"values\":[8127],\"prediction\":10211.5,\"score\":0.25,\"anomaly\":false,\"alarm\":false}\n", text);
    }

    [Fact]
    public void FirstSampleHasNullPredictionAndMultiOutputGivesAnArray()
    {
        string[] lines = Run(false,
            (new Sample("0", [1.0, 2.0]), new StepResult(false, [1.0, 2.0], [0, 0], 0, 0, false, false)),
            (new Sample("1", [1.5, 2.5]), new StepResult(true, [1.25, 2.25], [0, 0], 1, 65536, true, true))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(lines[0]).RootElement.GetProperty("prediction").ValueKind);
        JsonElement second = JsonDocument.Parse(lines[1]).RootElement;
        Assert.Equal(2.25, second.GetProperty("prediction")[1].GetDouble());
        Assert.True(second.GetProperty("anomaly").GetBoolean());
    }

    [Fact]
    public void AnAbnormalSampleNamesTheChannelAndWhatAboutIt()
    {
        string[] lines = Run(false,
            (new Sample("0", [1.0, 2.0]), new StepResult(true, [1.0, 2.0], [0, 0], 0.01, 0, false, false, leadingTracker: 8 * 1 + 2)),
            (new Sample("1", [1.0, 9.0]), new StepResult(true, [1.0, 2.0], [0, 0], 0.4, 0, true, true, leadingTracker: 8 * 1 + 2)),
            (new Sample("2", [9.0, 2.0]), new StepResult(true, [1.0, 2.0], [0, 0], 1.0, 0, true, true, leadingTracker: 8 * 0 + 3)),
            (new Sample("3", [9.0, 2.0]), new StepResult(true, [1.0, 2.0], [0, 0], 1.0, 0, true, false, leadingTracker: 8 * 1 + 4))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // A normal sample carries no cause: the line keeps its documented shape.
        Assert.False(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("cause", out _));
        JsonElement bias = JsonDocument.Parse(lines[1]).RootElement.GetProperty("cause");
        Assert.Equal(1, bias.GetProperty("channel").GetInt32());
        Assert.Equal("bias", bias.GetProperty("kind").GetString());
        JsonElement range = JsonDocument.Parse(lines[2]).RootElement.GetProperty("cause");
        Assert.Equal(0, range.GetProperty("channel").GetInt32());
        Assert.Equal("range", range.GetProperty("kind").GetString());
        JsonElement frozen = JsonDocument.Parse(lines[3]).RootElement.GetProperty("cause");
        Assert.Equal(1, frozen.GetProperty("channel").GetInt32());
        Assert.Equal("frozen", frozen.GetProperty("kind").GetString());
    }

    [Fact]
    public void MissingValuesAreWrittenAsNullNotAThrow()
    {
        // A gap in the stream ("nan", empty field, Infinity) reaches the sinks as NaN; JSON has no NaN.
        string text = Run(false,
            (new Sample("0", [double.NaN, double.PositiveInfinity]), new StepResult(true, [double.NaN, 2.0], [0, 0], double.NaN, 0, false, false)),
            (new Sample("1", [double.NegativeInfinity]), new StepResult(true, [double.NaN], [0], 0.5, 0, false, false)));
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonElement first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(JsonValueKind.Null, first.GetProperty("values")[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("values")[1].ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("prediction")[0].ValueKind);
        Assert.Equal(2.0, first.GetProperty("prediction")[1].GetDouble());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("score").ValueKind);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(lines[1]).RootElement.GetProperty("prediction").ValueKind);
        // The MQTT payload is the same object.
        string payload = JsonLinesSink.ToText(new Sample("2", [double.NaN]), new StepResult(true, [double.NaN], [0], 0, 0, true, true));
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(payload).RootElement.GetProperty("values")[0].ValueKind);
    }

    [Fact]
    public void EventsModeWritesOnlyAlarms()
    {
        // The state alone (an episode already alarmed) is not a new event.
        string text = Run(true,
            (new Sample("a", [1.0]), new StepResult(true, [1.0], [0], 0.1, 0, false, false)),
            (new Sample("b", [9.0]), new StepResult(true, [1.0], [0], 1.0, 65536, true, true)),
            (new Sample("c", [9.0]), new StepResult(true, [1.0], [0], 0.0, 0, true, false)));
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"t\":\"b\"", text);
    }

    [Fact]
    public void ScoresCsvHeaderForSeveralChannelsNamesEachPrediction()
    {
        Assert.Equal("timestamp,value,prediction,anomaly_score,is_anomaly,alarm", ScoresCsvSink.Header(["value"]));
        Assert.Equal("timestamp,a,a_prediction,b,b_prediction,anomaly_score,is_anomaly,alarm", ScoresCsvSink.Header(["a", "b"]));
    }

    private sealed class BrokenSink : ISampleSink
    {
        public int Calls { get; private set; }

        public void OnSample(Sample sample, in StepResult result)
        {
            Calls++;
            throw new IOException("disk full");
        }

        public void Flush()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AFailingSinkIsLoggedAndTheLoopKeepsFeedingTheOthers()
    {
        var broken = new BrokenSink();
        var stream = new MemoryStream();
        var json = new JsonLinesSink(stream, eventsOnly: false, flushEachLine: true);
        var log = new ListLog();
        var counters = new EdgeCounters();
        var loop = new EdgeLoop(new ListSource(1, [1.0], [2.0], [3.0]), new EngineHolder(new ThresholdEngine()), [broken, json], counters, log.Log);
        await loop.RunAsync(CancellationToken.None);
        Assert.Equal(3, broken.Calls);
        Assert.Equal(3, counters.Samples);
        Assert.Equal(3, Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(log.Contains("disk full"));
    }

    [Fact]
    public async Task WrongShapeSampleIsCountedAndSkipped()
    {
        var counters = new EdgeCounters();
        var engine = new ThresholdEngine(inputs: 1);
        var loop = new EdgeLoop(new ListSource(1, [1.0], [1.0, 2.0], [3.0]), new EngineHolder(engine), [], counters, new ListLog().Log);
        await loop.RunAsync(CancellationToken.None);
        Assert.Equal(2, engine.Steps);
        Assert.Equal(1, counters.MalformedLines);
    }
}
