using Embedded.Edge.Hosting;
using Embedded.Edge.Tests.Support;
using Embedded.Tests.Common;

namespace Embedded.Edge.Tests.Hosting;

/// <summary>Flashing a Pi by copying model files while the app samples its sensors.</summary>
public class HotSwapTests
{
    [Fact]
    public async Task RunningAppSwapsInAValidModelRejectsBrokenOnesAndKeepsSampling()
    {
        string dir = TestPaths.NewTempDir();
        string modelPath = Path.Combine(dir, "model.bin");
        await File.WriteAllBytesAsync(modelPath, TestModels.Forecaster(seed: 1));
        var config = new EdgeConfig { Model = modelPath, Simulate = true, Sensors = ["ads1115.ain0"], RateHz = 200, Output = "none", ModelPollSeconds = 0.1 };
        var log = new ListLog();
        var app = new EdgeApp(config, log.Log, new MemoryStream(), TextReader.Null);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task running = app.RunAsync(stop.Token);
        await app.Started;
        Assert.True(Wait.Until(() => app.Counters.Samples > 5));

        // A copy caught half-way: rejected, counted, the loop goes on with the old model.
        byte[] next = TestModels.Forecaster(seed: 2);
        await File.WriteAllBytesAsync(modelPath, next.AsSpan(0, next.Length / 2).ToArray());
        Assert.True(Wait.Until(() => app.Counters.ModelsRejected == 1), string.Join("\n", log.Lines));
        long before = app.Counters.Samples;
        Assert.True(Wait.Until(() => app.Counters.Samples > before + 5), "sampling stopped after a rejected model");
        Assert.Equal(0, app.Engines!.Generation);

        // The complete file, renamed into place: accepted and running from the next sample.
        string temp = modelPath + ".new";
        await File.WriteAllBytesAsync(temp, next);
        File.Move(temp, modelPath, overwrite: true);
        Assert.True(Wait.Until(() => app.Engines.Generation == 1 && log.Contains("now running")), string.Join("\n", log.Lines));
        before = app.Counters.Samples;
        Assert.True(Wait.Until(() => app.Counters.Samples > before + 5));

        stop.Cancel();
        await running;
        Assert.Equal(1, app.Counters.ModelsAccepted);
        Assert.True(log.Contains("stopped:"));
    }
}
