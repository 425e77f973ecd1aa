using System.Device.Gpio;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Embedded.Edge.Hosting;
using Embedded.Edge.Tests.Support;
using Embedded.Tests.Common;

namespace Embedded.Edge.Tests.Hosting;

public class EdgeAppTests
{
    private static string ModelFile(int inputs = 1)
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "model.bin");
        File.WriteAllBytes(path, TestModels.Forecaster(inputs));
        return path;
    }

    [Fact]
    public async Task SimulateModeSamplesTheSimulatedChipsAndWritesJsonLines()
    {
        var stdout = new MemoryStream();
        var config = new EdgeConfig
        {
            Model = ModelFile(2),
            Simulate = true,
            Sensors = ["mpu6050.accel_z", "bme280.temperature"],
            RateHz = 500,
            Output = "json",
            MaxSamples = 12,
            Gpio = new GpioConfig { Pin = 17, HoldMs = 100 },
        };
        var app = new EdgeApp(config, new ListLog().Log, stdout, TextReader.Null);
        await app.RunAsync(CancellationToken.None);

        string[] lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(12, lines.Length);
        JsonElement first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(JsonValueKind.Null, first.GetProperty("prediction").ValueKind);
        JsonElement later = JsonDocument.Parse(lines[5]).RootElement;
        Assert.Equal(2, later.GetProperty("values").GetArrayLength());
        Assert.InRange(later.GetProperty("values")[0].GetDouble(), 0.8, 1.2); // ~1 g on Z
        Assert.InRange(later.GetProperty("values")[1].GetDouble(), 20, 30); // °C
        Assert.Equal(2, later.GetProperty("prediction").GetArrayLength());
        Assert.InRange(later.GetProperty("score").GetDouble(), 0, 1);
        Assert.False(string.IsNullOrEmpty(later.GetProperty("t").GetString()));
        Assert.Equal(12, app.Counters.Samples);
        // The alarm pin was opened on the simulated driver and left inactive at shutdown.
        Assert.NotNull(app.SimulatedGpio);
        Assert.Equal(PinValue.Low, app.SimulatedGpio!.Peek(17));
        Assert.False(app.SimulatedGpio.IsOpen(17));
    }

    [Fact]
    public async Task JsonConfigFileAndFlagsCombineWithFlagsWinning()
    {
        string dir = TestPaths.NewTempDir();
        string model = ModelFile();
        string data = Path.Combine(dir, "data.csv");
        await File.WriteAllTextAsync(data, "timestamp,value\n1,1\n2,2\n3,3\n");
        string configPath = Path.Combine(dir, "edge.json");
        await File.WriteAllTextAsync(configPath, $$"""
            {
              // comments are allowed
              "model": "{{model}}",
              "source": "csv:{{data}}",
              "speed": "realtime",
              "output": "json",
            }
            """);
        var stdout = new MemoryStream();
        var log = new ListLog();
        int code = await EdgeCommand.Create(stdout, TextReader.Null, log.Log).Parse(["--config", configPath, "--speed", "max", "--output", "scores-csv"]).InvokeAsync();
        Assert.Equal(0, code);
        string text = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.StartsWith("timestamp,value,prediction,anomaly_score,is_anomaly,alarm\n1,1,1,0,0,0\n", text);
        Assert.Equal(4, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("--output", "xml")]
    [InlineData("--source", "carrier-pigeon")]
    [InlineData("--sensor", "lis3dh.accel_x")]
    [InlineData("--speed", "fast")] // was taken silently as "max"
    public async Task ConfigurationMistakesExitWithCode2AndAMessage(string flag, string value)
    {
        var log = new ListLog();
        string[] args = flag == "--speed" ? ["--model", ModelFile(), "--source", "stdin", flag, value] : ["--model", ModelFile(), "--simulate", flag, value];
        int code = await EdgeCommand.Create(new MemoryStream(), TextReader.Null, log.Log).Parse(args).InvokeAsync();
        Assert.Equal(2, code);
        Assert.True(log.Contains(value), string.Join("\n", log.Lines));
    }

    [Fact]
    public async Task CorruptModelAtStartIsRefused()
    {
        string model = ModelFile();
        byte[] bytes = await File.ReadAllBytesAsync(model);
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(model, bytes);
        var log = new ListLog();
        int code = await EdgeCommand.Create(new MemoryStream(), TextReader.Null, log.Log).Parse(["--model", model, "--simulate"]).InvokeAsync();
        Assert.Equal(2, code);
        Assert.True(log.Contains(model), string.Join("\n", log.Lines));
    }

    [Fact]
    public async Task SourceWithTheWrongChannelCountIsRefused()
    {
        var log = new ListLog();
        int code = await EdgeCommand.Create(new MemoryStream(), TextReader.Null, log.Log)
            .Parse(["--model", ModelFile(1), "--simulate", "--sensor", "mpu6050.accel_x", "--sensor", "mpu6050.accel_y"]).InvokeAsync();
        Assert.Equal(2, code);
        Assert.True(log.Contains("model takes 1 input"), string.Join("\n", log.Lines));
    }

    [Fact]
    public async Task HelpListsTheOptions()
    {
        var output = new StringWriter();
        var parse = EdgeCommand.Create(new MemoryStream(), TextReader.Null, new ListLog().Log).Parse(["--help"]);
        int code = await parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output });
        Assert.Equal(0, code);
        Assert.Contains("--model", output.ToString());
        Assert.Contains("--mqtt-host", output.ToString());
    }

    [Fact]
    public async Task SigtermStopsTheProcessCleanly()
    {
        string exe = Path.Combine(AppContext.BaseDirectory, "embedded-edge.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{exe}\" --model \"{ModelFile()}\" --simulate --rate-hz 50 --output json")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr) stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        // Wait for the first JSON line: the loop is running.
        string? first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("{\"t\":", first);
        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {process.Id}") { UseShellExecute = false })) kill!.WaitForExit();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(30000), "the app did not stop on SIGTERM");
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        string log;
        lock (stderr) log = stderr.ToString();
        Assert.Contains("SIGTERM received", log);
        Assert.Contains("stopped:", log);
    }

    [Fact]
    public async Task DetectorSettingsFromTheConfigAreInForceAndLogged()
    {
        var log = new ListLog();
        var config = new EdgeConfig
        {
            Model = ModelFile(1), Simulate = true, Sensors = ["mpu6050.accel_z"], Output = "none", MaxSamples = 3,
            Detector = new DetectorConfig { ThresholdDecades = 9, HoldOff = 123, StateHold = 0 },
        };
        await new EdgeApp(config, log.Log, new MemoryStream(), TextReader.Null).RunAsync(CancellationToken.None);
        Assert.True(log.Contains("sensitivity 9 decades (threshold 9.48 with 3 error trackers), hold-off 123, warm-up 16, no state"), string.Join("\n", log.Lines));
    }

    [Fact]
    public async Task AnOutOfRangeDetectorSettingIsAConfigurationError()
    {
        var config = new EdgeConfig { Model = ModelFile(1), Simulate = true, Sensors = ["mpu6050.accel_z"], Detector = new DetectorConfig { StateHold = -1 } };
        var error = await Assert.ThrowsAsync<EdgeConfigException>(() => new EdgeApp(config, new ListLog().Log, new MemoryStream(), TextReader.Null).RunAsync(CancellationToken.None));
        Assert.Contains("--state-hold", error.Message);
    }
}
