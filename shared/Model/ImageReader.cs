namespace Embedded.Shared.Model
{
    /// <summary>Little-endian cursor over a model image; every read is bounds-checked and names its field.</summary>
    internal sealed class ImageReader
    {
        private readonly byte[] _data;
        private int _position;

        public ImageReader(byte[] data, int position)
        {
            _data = data;
            _position = position;
        }

        public int Position
        {
            get { return _position; }
        }

        private void Need(int count, string field)
        {
            if (count < 0 || _position > _data.Length - count)
            {
                throw new ModelFormatException("image truncated while reading " + field, _position);
            }
        }

        public int ReadByte(string field)
        {
            Need(1, field);
            return _data[_position++];
        }

        public int ReadUInt16(string field)
        {
            Need(2, field);
            int value = LittleEndian.ReadUInt16(_data, _position);
            _position += 2;
            return value;
        }

        public int ReadInt16(string field)
        {
            return (short)ReadUInt16(field);
        }

        public int ReadInt32(string field)
        {
            Need(4, field);
            int value = (int)LittleEndian.ReadUInt32(_data, _position);
            _position += 4;
            return value;
        }

        public uint ReadUInt32(string field)
        {
            return (uint)ReadInt32(field);
        }

        public void ReadBytes(byte[] target, string field)
        {
            Need(target.Length, field);
            System.Array.Copy(_data, _position, target, 0, target.Length);
            _position += target.Length;
        }

        /// <summary>Reads a value and checks it lies in [min, max]; the error names the field and the range.</summary>
        public int ReadChecked(int value, int start, int min, int max, string field)
        {
            if (value < min || value > max)
            {
                throw new ModelFormatException(field + " is " + value.ToString() + ", must be in [" + min.ToString() + ", " + max.ToString() + "]", start);
            }
            return value;
        }

        public int ReadUInt8InRange(int min, int max, string field)
        {
            int start = _position;
            return ReadChecked(ReadByte(field), start, min, max, field);
        }

        public int ReadUInt16InRange(int min, int max, string field)
        {
            int start = _position;
            return ReadChecked(ReadUInt16(field), start, min, max, field);
        }

        public int ReadInt32InRange(int min, int max, string field)
        {
            int start = _position;
            return ReadChecked(ReadInt32(field), start, min, max, field);
        }
    }
}
