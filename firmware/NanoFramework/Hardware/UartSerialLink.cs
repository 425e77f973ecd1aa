using System.IO.Ports;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Hardware
{
    /// <summary>ISerialLink over a nanoFramework SerialPort (System.IO.Ports). Reads never block.</summary>
    public sealed class UartSerialLink : ISerialLink
    {
        private readonly SerialPort _port;

        public UartSerialLink(string portName, int baudRate)
        {
            _port = new SerialPort(portName, baudRate);
            _port.ReadTimeout = 50;
            _port.WriteTimeout = 1000;
            _port.Open();
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int available = _port.BytesToRead;
            if (available <= 0) return 0;
            if (available < count) count = available;
            return _port.Read(buffer, offset, count);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }
    }
}
