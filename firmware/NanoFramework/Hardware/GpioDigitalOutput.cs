using System.Device.Gpio;

namespace Embedded.Firmware.Hardware
{
    /// <summary>IDigitalOutput over one System.Device.Gpio pin.</summary>
    public sealed class GpioDigitalOutput : IDigitalOutput
    {
        private readonly GpioPin _pin;

        public GpioDigitalOutput(GpioController controller, int pinNumber)
        {
            _pin = controller.OpenPin(pinNumber, PinMode.Output);
            _pin.Write(PinValue.Low);
        }

        public void Write(bool high)
        {
            _pin.Write(high ? PinValue.High : PinValue.Low);
        }
    }
}
