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
}
