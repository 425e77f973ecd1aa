using Embedded.Edge.Engine;
using Embedded.Edge.Hosting;
using Embedded.Edge.Tests.Support;
using Embedded.Tests.Common;

namespace Embedded.Edge.Tests.Engine;

public class ModelWatcherTests
{
    private static IScoringEngine Load(byte[] image, string source) => ModelScoringEngine.Load(image, source);

    private static (string Path, EngineHolder Holder, ModelWatcher Watcher, EdgeCounters Counters, ListLog Log) Start(byte[] initial)
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "model.bin");
        File.WriteAllBytes(path, initial);
        var holder = new EngineHolder(Load(initial, path));
        var counters = new EdgeCounters();
        var log = new ListLog();
        var watcher = new ModelWatcher(path, initial, Load, holder, counters, log.Log, pollInterval: TimeSpan.FromMilliseconds(100), settleDelay: TimeSpan.FromMilliseconds(20));
        return (path, holder, watcher, counters, log);
    }

    [Fact]
    public void ValidReplacementIsSwappedIn()
    {
        var (path, holder, watcher, counters, log) = Start(TestModels.Forecaster(seed: 1));
        using (watcher)
        {
            IScoringEngine before = holder.Current;
            byte[] next = TestModels.Forecaster(seed: 2);
            string temp = path + ".tmp";
            File.WriteAllBytes(temp, next);
            File.Move(temp, path, overwrite: true); // the atomic way to flash a Pi
            // The watcher swaps first and counts and logs after: wait for the last of these (the log line).
            Assert.True(Wait.Until(() => holder.Generation == 1 && log.Contains("new model accepted")), string.Join("\n", log.Lines));
            Assert.NotSame(before, holder.Current);
            Assert.Equal(1, counters.ModelsAccepted);
            Assert.True(log.Contains("new model accepted"));
        }
    }

    [Fact]
    public void CorruptReplacementIsRejectedAndTheOldModelKeepsRunning()
    {
        var (path, holder, watcher, counters, log) = Start(TestModels.Forecaster(seed: 1));
        using (watcher)
        {
            IScoringEngine before = holder.Current;
            byte[] bad = TestModels.Forecaster(seed: 2);
            bad[40] ^= 0xFF;
            File.WriteAllBytes(path, bad);
            // The watcher counts first and logs after: wait for both.
            Assert.True(Wait.Until(() => counters.ModelsRejected == 1 && log.Contains("rejected, the running model stays")), string.Join("\n", log.Lines));
            Assert.Same(before, holder.Current);
            // The same bad file is not reported again by the poller.
            watcher.Check();
            Assert.Equal(1, counters.ModelsRejected);
        }
    }

    [Fact]
    public void FileCaughtHalfWrittenIsRejectedThenAcceptedWhenComplete()
    {
        var (path, holder, watcher, counters, log) = Start(TestModels.Forecaster(seed: 1));
        using (watcher)
        {
            byte[] next = TestModels.Forecaster(seed: 3);
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
            {
                stream.Write(next, 0, next.Length / 2);
                stream.Flush();
                watcher.Check(); // a copy in progress, seen mid-write
                // The watcher's own change event may also have caught the file (empty or half-written): at least one rejection.
                Assert.True(counters.ModelsRejected >= 1);
                Assert.Equal(0, holder.Generation);
                stream.Write(next, next.Length / 2, next.Length - next.Length / 2);
            }

            // The watcher swaps first and counts after: wait for both.
            Assert.True(Wait.Until(() => holder.Generation == 1 && counters.ModelsAccepted == 1), string.Join("\n", log.Lines));
            Assert.Equal(1, counters.ModelsAccepted);
        }
    }

    [Fact]
    public void ReplacementWithAnotherShapeIsRejected()
    {
        var (path, holder, watcher, counters, log) = Start(TestModels.Forecaster(inputs: 1));
        using (watcher)
        {
            File.WriteAllBytes(path, TestModels.Forecaster(inputs: 2));
            Assert.True(Wait.Until(() => counters.ModelsRejected == 1 && log.Contains("takes 2 inputs")), string.Join("\n", log.Lines));
            Assert.Equal(0, holder.Generation);
        }
    }

    [Fact]
    public void DeletedFileKeepsTheRunningModel()
    {
        var (path, holder, watcher, counters, _) = Start(TestModels.Forecaster());
        using (watcher)
        {
            File.Delete(path);
            watcher.Check();
            Assert.Equal(0, holder.Generation);
            Assert.Equal(0, counters.ModelsRejected + counters.ModelsAccepted);
        }
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", path);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [SkippableTheory]
    [InlineData("fifo")]
    [InlineData("dev-zero")]
    [InlineData("huge")]
    public void HostileFilesAreRefusedWithoutBlockingAndALaterValidModelLoads(string kind)
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs and /dev/zero are Unix");
        var (path, holder, watcher, counters, log) = Start(TestModels.Forecaster(seed: 1));
        using (watcher)
        {
            File.Delete(path);
            switch (kind)
            {
                case "fifo":
                    MakeFifo(path); // no writer: a plain open() would block forever, holding the watcher
                    break;
                case "dev-zero":
                    File.CreateSymbolicLink(path, "/dev/zero"); // endless bytes, size 0
                    break;
                default:
                    using (var huge = new FileStream(path, FileMode.CreateNew)) huge.SetLength((long)Embedded.Shared.Model.ModelFormat.MaxImageLength + 1); // sparse
                    break;
            }

            // A liveness bound, not a timing assertion: Check must come back.
            Assert.True(Task.Run(watcher.Check).Wait(TimeSpan.FromSeconds(30)), "Check blocked");
            Assert.True(Wait.Until(() => counters.ModelsRejected >= 1 && log.Contains("rejected, the running model stays")), string.Join("\n", log.Lines));
            Assert.Equal(0, holder.Generation);

            // The watcher is not stuck: a valid model put in its place is taken.
            string temp = path + ".tmp";
            File.WriteAllBytes(temp, TestModels.Forecaster(seed: 2));
            File.Move(temp, path, overwrite: true);
            Assert.True(Wait.Until(() => holder.Generation == 1 && log.Contains("new model accepted")), string.Join("\n", log.Lines));
        }
    }

    [SkippableFact]
    public void AFifoGivenAtStartIsAConfigurationErrorNotAHang()
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs are Unix");
        string path = Path.Combine(TestPaths.NewTempDir(), "model.bin");
        MakeFifo(path);
        var read = Task.Run(() => ModelFile.Read(path));
        Assert.True(((Task)read).ContinueWith(_ => { }).Wait(TimeSpan.FromSeconds(30)), "read blocked");
        ModelRejectedException e = Assert.Throws<ModelRejectedException>(() => read.GetAwaiter().GetResult());
        Assert.Contains("not a regular file", e.Message);
    }
}
