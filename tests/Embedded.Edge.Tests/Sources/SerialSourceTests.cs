using System.IO.Ports;
using Embedded.Edge.Hosting;
using Embedded.Edge.Sources;
using Embedded.Edge.Tests.Support;

namespace Embedded.Edge.Tests.Sources;

/// <summary>The serial source with the real SerialPort over a socat pseudo-terminal pair.</summary>
public class SerialSourceTests
{
    private static async Task<(List<Sample> Samples, EdgeCounters Counters, ListLog Log)> Exchange(int channels, string text, int expected, string? timestampColumn = null)
    {
        using PtyPair pty = PtyPair.Start();
        var counters = new EdgeCounters();
        var log = new ListLog();
        using var source = new SerialSource(pty.PortA, 115200, timestampColumn, null, channels, counters, log.Log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var samples = new List<Sample>();
        var reading = Task.Run(async () =>
        {
            await foreach (Sample s in source.ReadAllAsync(cts.Token))
            {
                samples.Add(s);
                if (samples.Count == expected) break;
            }
        });

        using var board = new SerialPort(pty.PortB, 115200) { NewLine = "\n" };
        board.Open();
        // Wait until the source has the port open (it logs it) before the board talks.
        Assert.True(Wait.Until(() => log.Contains("open at 115200")));
        board.Write(text);
        await reading;
        return (samples, counters, log);
    }

    [SkippableFact]
    public async Task CsvLinesFromAnotherBoardBecomeSamplesAndMalformedOnesAreCounted()
    {
        Skip.If(PtyPair.FindSocat() is null, "socat is not installed");
        var (samples, counters, log) = await Exchange(2, "1.5,2\r\n2.5,3\nabc,1\n1,2,3\n4\n3.5,4\n", expected: 3);
        Assert.Equal([[1.5, 2.0], [2.5, 3.0], [3.5, 4.0]], samples.Select(s => s.Values));
        Assert.Equal(3, counters.MalformedLines);
        Assert.True(log.Contains("line 3"), string.Join("\n", log.Lines));
    }

    [SkippableFact]
    public async Task HeaderLineNamesColumnsAndATimestampIsTaken()
    {
        Skip.If(PtyPair.FindSocat() is null, "socat is not installed");
        var (samples, counters, _) = await Exchange(1, "time,value\n100,1.25\n101,x\n102,2.5\n", expected: 2);
        Assert.Equal(["100", "102"], samples.Select(s => s.Timestamp));
        Assert.Equal([1.25, 2.5], samples.Select(s => s.Values[0]));
        Assert.Equal(1, counters.MalformedLines);
    }

    [SkippableFact]
    public void MissingPortIsAnErrorAtStart()
    {
        using var source = new SerialSource("/dev/does-not-exist-edge", 9600, null, null, 1, new EdgeCounters(), new ListLog().Log);
        Assert.ThrowsAny<Exception>(() => source.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator().MoveNextAsync().AsTask().GetAwaiter().GetResult());
    }

    private static SerialSource Scripted(ScriptedPort port, int channels, EdgeCounters counters, ListLog log, string? timestampColumn = null, int maxLineLength = 1024, int queueCapacity = 1024) =>
        new("test", () => port, timestampColumn, null, channels, counters, log.Log, maxLineLength, queueCapacity);

    [Fact]
    public async Task AnEndlessLineIsDroppedAndCountedAndLaterLinesArrive()
    {
        var port = new ScriptedPort();
        var counters = new EdgeCounters();
        var log = new ListLog();
        using var source = Scripted(port, 2, counters, log, maxLineLength: 64);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        port.Send("1,2\n");
        for (int i = 0; i < 100; i++) port.Send(new byte[10_000].Select(_ => (byte)'5').ToArray()); // 1 MB, no newline
        port.Send("\nxx,yy\n3,4\n");
        var samples = new List<Sample>();
        await foreach (Sample s in source.ReadAllAsync(cts.Token))
        {
            samples.Add(s);
            if (samples.Count == 2) break;
        }

        Assert.Equal([[1.0, 2.0], [3.0, 4.0]], samples.Select(s => s.Values));
        Assert.Equal(1, counters.LinesTooLong);
        Assert.True(log.Contains("test line 2: longer than 64 bytes"), string.Join("\n", log.Lines));
    }

    [Fact]
    public async Task AReaderFailureEndsTheStreamWithAnErrorNotACleanEnd()
    {
        // A clean end makes the app exit 0, and systemd's Restart=on-failure would never restart it.
        var port = new ScriptedPort();
        var log = new ListLog();
        using var source = Scripted(port, 1, new EdgeCounters(), log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        port.Send("1\n");
        port.Fail(new NotSupportedException("driver bug"));
        var samples = new List<Sample>();
        IOException e = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (Sample s in source.ReadAllAsync(cts.Token)) samples.Add(s);
        });
        Assert.Contains("driver bug", e.Message);
        Assert.Single(samples);
        Assert.False(cts.IsCancellationRequested);
    }

    [Fact]
    public async Task SamplesTheLoopHadNoTimeForAreCounted()
    {
        var port = new ScriptedPort();
        var counters = new EdgeCounters();
        var log = new ListLog();
        using var source = Scripted(port, 1, counters, log, queueCapacity: 4);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using IAsyncEnumerator<Sample> samples = source.ReadAllAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        port.Send("0\n");
        Assert.True(await samples.MoveNextAsync());
        // The loop stalls while 20 lines arrive: 4 fit the queue, the 16 oldest are dropped.
        port.Send(string.Concat(Enumerable.Range(1, 20).Select(i => i + "\n")));
        Assert.True(Wait.Until(() => counters.SamplesDropped == 16), counters.SamplesDropped.ToString());
        Assert.True(await samples.MoveNextAsync());
        Assert.Equal(17.0, samples.Current.Values[0]);
    }
}
