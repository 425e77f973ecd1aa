namespace Embedded.Firmware
{
    /// <summary>One ADC channel (raw counts). Implemented over System.Device.Adc on the device.</summary>
    public interface IAnalogInput
    {
        /// <summary>Raw conversion result; throws when the read fails.</summary>
        int ReadRaw();
    }
}
