using System.Device.Adc;

namespace Embedded.Firmware.Hardware
{
    /// <summary>IAnalogInput over one System.Device.Adc channel.</summary>
    public sealed class AdcAnalogInput : IAnalogInput
    {
        private readonly AdcChannel _channel;

        public AdcAnalogInput(int channelNumber)
        {
            AdcController controller = new AdcController();
            _channel = controller.OpenChannel(channelNumber);
        }

        public int ReadRaw()
        {
            return _channel.ReadValue();
        }
    }
}
