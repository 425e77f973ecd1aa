using Embedded.Shared.Flashing;

namespace Embedded.BitExact
{
    /// <summary>Simulated milliseconds, so both runtimes see the same time whatever their speed.</summary>
    public sealed class SimClock : IClock
    {
        public long NowMilliseconds { get; set; }
    }
}
