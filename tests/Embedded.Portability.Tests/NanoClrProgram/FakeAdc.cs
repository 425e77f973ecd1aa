using Embedded.Firmware;

namespace Embedded.BitExact
{
    /// <summary>A 12-bit ADC reading a triangle wave with a spike every 83 reads.</summary>
    public sealed class FakeAdc : IAnalogInput
    {
        private int _reads;

        public int ReadRaw()
        {
            _reads++;
            int phase = _reads % 40;
            int value = 1800 + (phase < 20 ? phase : 40 - phase) * 25;
            return _reads % 83 == 82 ? 4000 : value;
        }
    }
}
