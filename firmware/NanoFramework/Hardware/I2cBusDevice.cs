using System.Device.I2c;

namespace Embedded.Firmware.Hardware
{
    /// <summary>II2cDevice over System.Device.I2c; a transfer counts as good only when it was complete.</summary>
    public sealed class I2cBusDevice : II2cDevice
    {
        private readonly I2cDevice _device;

        public I2cBusDevice(int busId, int address)
        {
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address));
        }

        public bool Write(byte[] data)
        {
            I2cTransferResult result = _device.Write(data);
            return result.Status == I2cTransferStatus.FullTransfer;
        }

        public bool WriteRead(byte[] write, byte[] read)
        {
            I2cTransferResult result = _device.WriteRead(write, read);
            return result.Status == I2cTransferStatus.FullTransfer;
        }
    }
}
