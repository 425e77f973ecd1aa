using System.Collections.Concurrent;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>
/// ISerialLink over a raw pseudo-terminal file (the "device" end): a background thread drains the
/// blocking stream into a queue so reads never block, as on the device's UART.
/// </summary>
internal sealed class StreamLink : ISerialLink, IDisposable
{
    private readonly FileStream _stream;
    private readonly ConcurrentQueue<byte> _received = new();
    private readonly Thread _reader;
    private volatile bool _stopping;

    public StreamLink(string path)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "pty reader" };
        _reader.Start();
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = 0;
        while (n < count && _received.TryDequeue(out byte b)) buffer[offset + n++] = b;
        return n;
    }

    public void Write(byte[] buffer, int offset, int count)
    {
        _stream.Write(buffer, offset, count);
        _stream.Flush();
    }

    private void ReadLoop()
    {
        var buffer = new byte[512];
        try
        {
            while (!_stopping)
            {
                int n = _stream.Read(buffer, 0, buffer.Length);
                if (n <= 0) break;
                for (int i = 0; i < n; i++) _received.Enqueue(buffer[i]);
            }
        }
        catch (Exception) when (_stopping)
        {
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _stream.Dispose();
    }
}
