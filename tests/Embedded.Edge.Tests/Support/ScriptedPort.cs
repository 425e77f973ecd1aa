using System.Collections.Concurrent;

namespace Embedded.Edge.Tests.Support;

/// <summary>
/// A stand-in serial port: Read returns the chunks the test sends, and when none is waiting it throws
/// TimeoutException after a short wait, as SerialPort does with a ReadTimeout. <see cref="Fail"/> makes
/// the next Read throw the given exception.
/// </summary>
internal sealed class ScriptedPort : Stream
{
    private readonly BlockingCollection<object> _chunks = new();
    private byte[]? _rest;

    public void Send(byte[] bytes) => _chunks.Add(bytes);

    public void Send(string text) => Send(System.Text.Encoding.UTF8.GetBytes(text));

    public void Fail(Exception e) => _chunks.Add(e);

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_rest is null)
        {
            if (!_chunks.TryTake(out object? next, 50)) throw new TimeoutException("no data");
            if (next is Exception e) throw e;
            _rest = (byte[])next;
        }

        int n = Math.Min(count, _rest.Length);
        Array.Copy(_rest, 0, buffer, offset, n);
        _rest = n == _rest.Length ? null : _rest[n..];
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
