namespace Embedded.BitExact
{
    /// <summary>A growable FIFO of bytes: one direction of the in-memory serial link.</summary>
    public sealed class ByteQueue
    {
        private byte[] _data = new byte[1024];
        private int _head;
        private int _count;

        public int Count
        {
            get { return _count; }
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            if (_count + count > _data.Length)
            {
                byte[] bigger = new byte[(_count + count) * 2];
                for (int i = 0; i < _count; i++) bigger[i] = _data[(_head + i) % _data.Length];
                _data = bigger;
                _head = 0;
            }
            for (int i = 0; i < count; i++) _data[(_head + _count + i) % _data.Length] = buffer[offset + i];
            _count += count;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = count < _count ? count : _count;
            for (int i = 0; i < n; i++) buffer[offset + i] = _data[(_head + i) % _data.Length];
            _head = (_head + n) % _data.Length;
            _count -= n;
            return n;
        }
    }
}
