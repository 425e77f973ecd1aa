namespace Embedded.Shared.Detection
{
    /// <summary>
    /// Marsaglia's xorshift32: a tiny deterministic generator that gives the same sequence on every
    /// platform (PC, Raspberry Pi, ESP32), so sampling with a seed is reproducible on the device.
    /// </summary>
    public sealed class XorShiftRandom
    {
        private uint _state;

        public XorShiftRandom(uint seed)
        {
            // Zero is the generator's fixed point; replace it with an arbitrary odd constant.
            _state = seed == 0 ? 0x9E3779B9u : seed;
        }

        public uint NextUInt()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }

        /// <summary>A value in [0, bound) for bound &gt;= 1 (bound 0 or less gives 0).</summary>
        public long NextBelow(long bound)
        {
            if (bound <= 1) return 0;
            // 64 random bits modulo bound: the bias is at most bound / 2^64.
            ulong wide = ((ulong)NextUInt() << 32) | NextUInt();
            return (long)(wide % (ulong)bound);
        }
    }
}
