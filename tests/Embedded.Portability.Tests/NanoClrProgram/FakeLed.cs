using Embedded.Firmware;

namespace Embedded.BitExact
{
    /// <summary>An LED that prints its changes, so they are part of the compared output.</summary>
    public sealed class FakeLed : IDigitalOutput
    {
        public void Write(bool high)
        {
            Out.Line(high ? "LED on" : "LED off");
        }
    }
}
