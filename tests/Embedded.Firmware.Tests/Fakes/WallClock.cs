using System.Diagnostics;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>Real time, for the device simulator in the pseudo-terminal tests.</summary>
internal sealed class WallClock : IClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public long NowMilliseconds => _watch.ElapsedMilliseconds;
}
