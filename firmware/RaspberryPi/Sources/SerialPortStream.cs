using System.IO.Ports;

namespace Embedded.Edge.Sources;

/// <summary>
/// A serial port as a read-only stream of bytes (Read waits up to the port's ReadTimeout, then throws
/// TimeoutException), so the serial source can be driven by any stream in tests. Disposing closes the port.
/// </summary>
public sealed class SerialPortStream : Stream
{
    private readonly SerialPort _port;

    public SerialPortStream(SerialPort port) => _port = port;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _port.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _port.Dispose();
        base.Dispose(disposing);
    }
}
