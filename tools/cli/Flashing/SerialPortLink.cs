using System.IO.Ports;
using Embedded.Shared.Flashing;

namespace Embedded.Cli.Flashing;

/// <summary>The flashing protocol's byte pipe over a real serial port (8N1, no flow control).</summary>
public sealed class SerialPortLink : ISerialLink, IDisposable
{
    private readonly SerialPort _port;

    public SerialPortLink(string portName, int baudRate)
    {
        _port = new SerialPort(portName, baudRate, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            ReadTimeout = 100,
            WriteTimeout = 2000,
            DtrEnable = false,
            RtsEnable = false,
        };
        _port.Open();
        _port.DiscardInBuffer();
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int available = _port.BytesToRead;
        if (available <= 0) return 0;
        try
        {
            return _port.Read(buffer, offset, Math.Min(available, count));
        }
        catch (TimeoutException)
        {
            // BytesToRead counted bytes the read then did not get within ReadTimeout (seen on a loaded
            // Linux host through a pseudo-terminal): nothing this time; the caller polls again.
            return 0;
        }
    }

    public void Write(byte[] buffer, int offset, int count) => _port.Write(buffer, offset, count);

    public void Dispose() => _port.Dispose();
}
