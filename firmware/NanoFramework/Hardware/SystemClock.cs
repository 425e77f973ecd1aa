using System;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Hardware
{
    /// <summary>Milliseconds since boot from the system clock (DateTime ticks are 100 ns).</summary>
    public sealed class SystemClock : IClock
    {
        private const long TicksPerMillisecond = 10000;

        private readonly long _startTicks = DateTime.UtcNow.Ticks;

        public long NowMilliseconds
        {
            get { return (DateTime.UtcNow.Ticks - _startTicks) / TicksPerMillisecond; }
        }
    }
}
