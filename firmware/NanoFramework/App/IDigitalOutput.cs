namespace Embedded.Firmware
{
    /// <summary>A GPIO output such as the anomaly LED. Implemented over System.Device.Gpio on the device.</summary>
    public interface IDigitalOutput
    {
        void Write(bool high);
    }
}
