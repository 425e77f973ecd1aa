namespace Embedded.Firmware
{
    /// <summary>One device on an I2C bus. Implemented over System.Device.I2c on the device.</summary>
    public interface II2cDevice
    {
        /// <summary>Writes bytes; false when the device did not acknowledge the whole transfer.</summary>
        bool Write(byte[] data);

        /// <summary>Writes then reads with a repeated start; false on a partial or failed transfer.</summary>
        bool WriteRead(byte[] write, byte[] read);
    }
}
