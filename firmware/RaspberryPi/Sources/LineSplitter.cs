using System.Text;

namespace Embedded.Edge.Sources;

/// <summary>
/// Cuts a byte stream into lines of at most <see cref="MaxLength"/> bytes. A longer run without a
/// newline (a board stuck sending, line noise) is dropped up to the next newline and counted, so the
/// memory used is bounded and the valid lines after it still arrive. A trailing '\r' is removed.
/// </summary>
public sealed class LineSplitter
{
    /// <summary>Default cap: 512 channels of a dozen characters each fit with room to spare.</summary>
    public const int DefaultMaxLength = 16 * 1024;

    private readonly byte[] _line;
    private int _length;
    private bool _discarding;

    public LineSplitter(int maxLength = DefaultMaxLength)
    {
        if (maxLength < 1) throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, "line length cap must be at least 1.");
        _line = new byte[maxLength];
    }

    public int MaxLength => _line.Length;

    /// <summary>Feeds received bytes; <paramref name="onLine"/> gets each complete line, <paramref name="onOverlong"/> each dropped one (once per line).</summary>
    public void Feed(ReadOnlySpan<byte> bytes, Action<string> onLine, Action onOverlong)
    {
        foreach (byte b in bytes)
        {
            if (b == (byte)'\n')
            {
                if (!_discarding)
                {
                    int length = _length > 0 && _line[_length - 1] == (byte)'\r' ? _length - 1 : _length;
                    onLine(Encoding.UTF8.GetString(_line, 0, length));
                }

                _length = 0;
                _discarding = false;
            }
            else if (_discarding)
            {
                // the rest of an over-long line
            }
            else if (_length == _line.Length)
            {
                _discarding = true;
                _length = 0;
                onOverlong();
            }
            else
            {
                _line[_length++] = b;
            }
        }
    }
}
