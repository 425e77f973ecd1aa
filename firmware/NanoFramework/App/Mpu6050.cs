namespace Embedded.Firmware
{
    /// <summary>
    /// MPU-6050 accelerometer/gyroscope over I2C (register map revision 4.2): wake from sleep, ±2 g and
    /// ±250 °/s ranges, one 14-byte burst read from ACCEL_XOUT_H. Values come out in g and °/s.
    /// </summary>
    public sealed class Mpu6050
    {
        /// <summary>I2C address with AD0 low.</summary>
        public const int DefaultAddress = 0x68;

        private const byte RegisterPowerManagement1 = 0x6B;
        private const byte RegisterGyroConfig = 0x1B;
        private const byte RegisterAccelConfig = 0x1C;
        private const byte RegisterAccelXHigh = 0x3B;
        private const byte RegisterWhoAmI = 0x75;
        private const double CountsPerG = 16384.0;
        private const double CountsPerDegreePerSecond = 131.0;

        private readonly II2cDevice _device;
        private readonly byte[] _two = new byte[2];
        private readonly byte[] _register = new byte[1];
        private readonly byte[] _burst = new byte[14];
        private readonly byte[] _one = new byte[1];

        public Mpu6050(II2cDevice device)
        {
            _device = device;
        }

        /// <summary>Whether <see cref="Initialize"/> succeeded since the last failure.</summary>
        public bool IsReady { get; private set; }

        /// <summary>Checks WHO_AM_I and configures the chip; returns false if it does not answer.</summary>
        public bool Initialize()
        {
            IsReady = false;
            _register[0] = RegisterWhoAmI;
            if (!_device.WriteRead(_register, _one)) return false;
            if ((_one[0] & 0x7E) != 0x68) return false;
            if (!WriteRegister(RegisterPowerManagement1, 0x01)) return false; // wake, PLL on gyro X
            if (!WriteRegister(RegisterAccelConfig, 0x00)) return false;
            if (!WriteRegister(RegisterGyroConfig, 0x00)) return false;
            IsReady = true;
            return true;
        }

        /// <summary>
        /// Reads accel X, Y, Z (g) and, when <paramref name="count"/> is 6, gyro X, Y, Z (°/s) into
        /// <paramref name="destination"/> at <paramref name="offset"/>. Throws on a failed transfer.
        /// </summary>
        public void Read(double[] destination, int offset, int count)
        {
            _register[0] = RegisterAccelXHigh;
            if (!_device.WriteRead(_register, _burst))
            {
                IsReady = false;
                throw new System.IO.IOException("MPU-6050 did not answer");
            }
            for (int i = 0; i < 3 && i < count; i++) destination[offset + i] = Word(i * 2) / CountsPerG;
            for (int i = 3; i < 6 && i < count; i++) destination[offset + i] = Word(2 + i * 2) / CountsPerDegreePerSecond;
        }

        private int Word(int index)
        {
            int value = (_burst[index] << 8) | _burst[index + 1];
            return value >= 0x8000 ? value - 0x10000 : value;
        }

        private bool WriteRegister(byte register, byte value)
        {
            _two[0] = register;
            _two[1] = value;
            return _device.Write(_two);
        }
    }
}
