using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>Simulated time: advances only when a test says so.</summary>
internal sealed class SimClock : IClock
{
    public long NowMilliseconds { get; private set; }

    public void Advance(long milliseconds) => NowMilliseconds += milliseconds;
}
