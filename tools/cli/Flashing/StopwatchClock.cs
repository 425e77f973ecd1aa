using System.Diagnostics;
using Embedded.Shared.Flashing;

namespace Embedded.Cli.Flashing;

/// <summary>Real monotonic time for the PC side of the protocol.</summary>
public sealed class StopwatchClock : IClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public long NowMilliseconds => _watch.ElapsedMilliseconds;
}
