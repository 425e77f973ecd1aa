using System.Globalization;
using System.IO.Pipes;
using System.Text;
using Embedded.Edge.Actions;
using Embedded.Edge.Hosting;
using Embedded.Edge.Tests.Support;
using Embedded.Tests.Common;

namespace Embedded.Edge.Tests.Hosting;

/// <summary>
/// Issue 18 against a real mosquitto: a replay never drops (it waits for the broker), a live source drops
/// the oldest and counts every drop, shutdown drains within a bound and says what it left. Only outcomes
/// are asserted; every wait is on a condition with a generous bound.
/// </summary>
public class MqttReplayTests
{
    private const string Prefix = "edge-replay";

    private static string ModelFile()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "model.bin");
        File.WriteAllBytes(path, TestModels.Forecaster(1));
        return path;
    }

    private static IEnumerable<string> Rows(int from, int count) =>
        Enumerable.Range(from, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i},{Math.Sin(i * 0.05):0.####}"));

    private static EdgeConfig Config(string source, int port, int buffer) => new()
    {
        Model = ModelFile(),
        Source = source,
        Speed = "max",
        Output = "none",
        Mqtt = new MqttConfig
        {
            Host = "127.0.0.1",
            Port = port,
            ClientId = "edge-replay-publisher",
            Topic = Prefix,
            AllSamples = true,
            Buffer = buffer, // far below the replay's length: without backpressure most would be dropped
            DrainSeconds = 600, // a bound, not an expectation: the drain ends as soon as the buffer is empty
        },
    };

    [SkippableFact]
    public async Task MaxSpeedReplayOf20000SamplesArrivesCompleteAndInOrder()
    {
        Skip.If(MosquittoBroker.FindExecutable() is null, "mosquitto is not installed");
        const int n = 20_000;
        string csv = Path.Combine(TestPaths.NewTempDir(), "series.csv");
        await File.WriteAllLinesAsync(csv, Rows(0, n).Prepend("timestamp,value"));
        using var broker = new MosquittoBroker();
        broker.Start();
        await using var subscriber = new EventSubscriber(broker.Port, Prefix);
        await subscriber.ConnectAsync();
        var log = new ListLog();

        var app = new EdgeApp(Config("csv:" + csv, broker.Port, buffer: 256), log.Log, new MemoryStream(), TextReader.Null);
        await app.RunAsync(CancellationToken.None);

        Assert.Equal(n, app.Counters.Samples);
        Assert.Equal(n, app.Counters.MqttPublished);
        Assert.Equal(0, app.Counters.MqttDropped);
        Assert.Equal(0, app.Counters.MqttUndelivered);
        Assert.True(Wait.Until(() => subscriber.Count >= n, 120_000), $"{subscriber.Count} of {n} arrived\n" + string.Join("\n", log.Lines));
        // Every sample, each once, in the order of the file.
        Assert.Equal(Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture)), subscriber.Times);
        Assert.Contains(log.Lines, l => l.Contains($"mqtt: {n} messages delivered, 0 dropped, 0 not delivered at shutdown", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task BrokerStoppedMidReplayAndRestartedLosesNothing()
    {
        Skip.If(MosquittoBroker.FindExecutable() is null, "mosquitto is not installed");
        const int half = 12_000, buffer = 1000;
        using var broker = new MosquittoBroker();
        broker.Start();
        await using var subscriber = new EventSubscriber(broker.Port, Prefix);
        await subscriber.ConnectAsync();
        var log = new ListLog();

        // stdin from a pipe the test writes: the replay is held between the halves, so the broker goes away mid-replay.
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var stdinEnd = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        using var stdin = new StreamReader(stdinEnd, Encoding.UTF8);
        var writer = new StreamWriter(pipe, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        var app = new EdgeApp(Config("stdin", broker.Port, buffer), log.Log, new MemoryStream(), stdin);
        Task run = Task.Run(() => app.RunAsync(CancellationToken.None));

        await writer.WriteLineAsync("timestamp,value");
        foreach (string row in Rows(0, half)) await writer.WriteLineAsync(row);
        Assert.True(Wait.Until(() => subscriber.Count >= half, 120_000), $"{subscriber.Count} of the first {half} arrived\n" + string.Join("\n", log.Lines));

        broker.Stop(); // SIGTERM: mosquitto saves the subscriber's session and its queued messages
        Task second = Task.Run(async () =>
        {
            foreach (string row in Rows(half, half)) await writer.WriteLineAsync(row);
            writer.Dispose(); // end of input
        });

        // With the broker away the replay fills the buffer and then waits: it neither drops nor runs ahead.
        Assert.True(Wait.Until(() => app.Mqtt is { Pending: >= buffer }, 120_000), string.Join("\n", log.Lines));
        Assert.True(app.Counters.Samples <= half + buffer, $"{app.Counters.Samples} samples processed with the broker away");
        Assert.False(run.IsCompleted);
        Assert.Equal(0, app.Counters.MqttDropped);

        broker.Start();
        await subscriber.ConnectAsync();
        await second.WaitAsync(TimeSpan.FromMinutes(5));
        await run.WaitAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(2 * half, app.Counters.Samples);
        Assert.Equal(0, app.Counters.MqttDropped);
        Assert.Equal(0, app.Counters.MqttUndelivered);
        Assert.True(Wait.Until(() => subscriber.FirstArrivals.Length >= 2 * half, 120_000),
            $"{subscriber.FirstArrivals.Length} of {2 * half} arrived\n" + string.Join("\n", log.Lines) + "\n" + broker.Log());
        // Nothing lost, first arrivals in order (QoS 1 may repeat what was in flight when the broker stopped).
        Assert.Equal(Enumerable.Range(0, 2 * half).Select(i => i.ToString(CultureInfo.InvariantCulture)), subscriber.FirstArrivals);
        Assert.True(log.Contains("buffered until the broker is back"), string.Join("\n", log.Lines));
    }

    [Fact]
    public async Task LiveSourceDropsTheOldestAndCountsEveryDropInTheSummary()
    {
        // No broker at all on this port: a live source cannot wait, so the buffer keeps the newest 5.
        var log = new ListLog();
        var config = new EdgeConfig
        {
            Model = ModelFile(),
            Simulate = true,
            Sensors = ["mpu6050.accel_z"],
            RateHz = 1000,
            Output = "none",
            MaxSamples = 50,
            Mqtt = new MqttConfig { Host = "127.0.0.1", Port = ClosedPort(), Topic = Prefix, AllSamples = true, Buffer = 5, DrainSeconds = 0 },
        };
        var app = new EdgeApp(config, log.Log, new MemoryStream(), TextReader.Null);
        await app.RunAsync(CancellationToken.None);

        Assert.Equal(50, app.Counters.Samples);
        Assert.Equal(45, app.Counters.MqttDropped);
        Assert.Equal(5, app.Counters.MqttUndelivered);
        Assert.True(log.Contains("buffer full (5)"), string.Join("\n", log.Lines));
        Assert.True(log.Contains("5 not delivered"), string.Join("\n", log.Lines));
        string summary = log.Lines.Single(l => l.Contains("stopped:", StringComparison.Ordinal));
        Assert.Contains(" warn ", summary);
        Assert.Contains("mqtt: 0 messages delivered, 45 dropped, 5 not delivered at shutdown", summary);
    }

    [Fact]
    public void StatusLineWarnsInEveryPeriodWithDropsAndCountsSerialAndMqttDrops()
    {
        var counters = new EdgeCounters();
        var log = new ListLog();
        var status = new StatusReporter(counters, log.Log, () => 7, interval: null);
        counters.AddSample();
        status.Report();
        Assert.Contains(" info status: 1 samples", log.Lines[^1]);
        Assert.Contains("0 samples dropped", log.Lines[^1]);
        Assert.Contains("mqtt 0 published, 7 pending, 0 dropped", log.Lines[^1]);

        counters.AddSampleDropped(); // the serial queue
        counters.AddMqttDropped();
        counters.AddMqttDropped();
        status.Report();
        Assert.Contains(" warn status:", log.Lines[^1]);
        Assert.Contains("1 samples dropped", log.Lines[^1]);
        Assert.Contains("2 dropped (3 dropped since the last status)", log.Lines[^1]);

        status.Report(); // nothing new: back to info, totals still shown
        Assert.Contains(" info status:", log.Lines[^1]);
        Assert.Contains("1 samples dropped", log.Lines[^1]);

        counters.AddSampleDropped(); // drops again in a later period: warned again, not once per run
        status.Report();
        Assert.Contains("(1 dropped since the last status)", log.Lines[^1]);
        Assert.Contains(" warn ", log.Lines[^1]);
    }

    [Theory]
    [InlineData("--mqtt-qos", "2")]
    [InlineData("--mqtt-drain-seconds", "-1")]
    [InlineData("--mqtt-buffer", "0")]
    [InlineData("--mqtt-status-seconds", "0")]
    [InlineData("--status-seconds", "0")]
    public async Task MqttMistakesExitWithCode2AndOneLineNamingTheOption(string flag, string value)
    {
        var log = new ListLog();
        string[] args = ["--model", ModelFile(), "--source", "stdin", "--mqtt-host", "127.0.0.1", "--mqtt-port", ClosedPort().ToString(CultureInfo.InvariantCulture), flag, value];
        int code = await EdgeCommand.Create(new MemoryStream(), TextReader.Null, log.Log).Parse(args).InvokeAsync();
        Assert.Equal(2, code);
        string error = Assert.Single(log.Lines, l => l.Contains(" error ", StringComparison.Ordinal));
        Assert.Contains(flag + " '", error);
    }

    [Fact]
    public async Task OfflineBufferResendsFromTheOldestUnacknowledgedAndWaitsForRoom()
    {
        var buffer = new OfflineBuffer<int>(3);
        for (int i = 0; i < 3; i++) buffer.Add(i);
        // Two in flight, then the oldest is dropped by a live add: sending goes on past the gap.
        Assert.True(buffer.TryGet(0, out long s0, out int m0) && s0 == 0 && m0 == 0);
        Assert.True(buffer.TryGet(1, out long s1, out int m1) && s1 == 1 && m1 == 1);
        Assert.False(buffer.Add(3));
        buffer.RemoveThrough(0); // the ack of a message already dropped removes nothing else
        Assert.Equal(3, buffer.Count);
        Assert.True(buffer.TryGet(0, out long head, out int first) && head == 1 && first == 1);
        Assert.False(buffer.TryGet(4, out _, out _));

        ValueTask room = buffer.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted); // full: a replay waits
        buffer.RemoveThrough(1);
        await room.AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(2, buffer.Count);
        Assert.True(buffer.WaitForRoomAsync(CancellationToken.None).IsCompleted);
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
