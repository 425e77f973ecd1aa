using Embedded.Edge.Sensors.Common;
using System.Buffers.Binary;
using System.Device.I2c;

namespace Embedded.Edge.Sensors.Imu;

/// <summary>
/// InvenSense MPU-6050 6-axis IMU (accelerometer, gyroscope, die temperature) on I2C.
/// The chip powers on asleep (PWR_MGMT_1 = 0x40); the constructor checks WHO_AM_I and wakes it.
/// All 14 measurement bytes are read in one burst (registers auto-increment) so the axes belong together.
/// </summary>
public sealed class Mpu6050 : IDisposable
{
    /// <summary>Address with AD0 tied low.</summary>
    public const int DefaultI2cAddress = 0x68;

    /// <summary>Address with AD0 tied high.</summary>
    public const int SecondaryI2cAddress = 0x69;

    /// <summary>WHO_AM_I holds the upper six bits of the 7-bit address, i.e. 0x68, whatever AD0 is.</summary>
    public const byte ExpectedWhoAmI = 0x68;

    private const int BurstLength = 14;
    private readonly bool _shouldDispose;
    private I2cDevice? _device;
    private AccelerometerRange _accelRange;
    private GyroscopeRange _gyroRange;

    public Mpu6050(I2cDevice device, bool shouldDispose = true)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _shouldDispose = shouldDispose;
        byte id = ReadRegister(Mpu6050Register.WhoAmI);
        if ((id & 0x7E) != ExpectedWhoAmI)
            throw new IOException($"MPU-6050 at 0x{device.ConnectionSettings.DeviceAddress:X2}: WHO_AM_I is 0x{id:X2}, expected 0x{ExpectedWhoAmI:X2}.");
        WakeUp();
        _accelRange = (AccelerometerRange)((ReadRegister(Mpu6050Register.AccelConfig) >> 3) & 0x3);
        _gyroRange = (GyroscopeRange)((ReadRegister(Mpu6050Register.GyroConfig) >> 3) & 0x3);
    }

    /// <summary>Full-scale range of the accelerometer (written to ACCEL_CONFIG, keeping the self-test bits clear).</summary>
    public AccelerometerRange AccelerometerRange
    {
        get => _accelRange;
        set
        {
            WriteRegister(Mpu6050Register.AccelConfig, (byte)((int)value << 3));
            _accelRange = value;
        }
    }

    /// <summary>Full-scale range of the gyroscope (written to GYRO_CONFIG).</summary>
    public GyroscopeRange GyroscopeRange
    {
        get => _gyroRange;
        set
        {
            WriteRegister(Mpu6050Register.GyroConfig, (byte)((int)value << 3));
            _gyroRange = value;
        }
    }

    /// <summary>Whether the chip is in sleep mode (it then stops updating its data registers).</summary>
    public bool IsSleeping => (ReadRegister(Mpu6050Register.PowerManagement1) & (byte)Mpu6050PowerBits.Sleep) != 0;

    /// <summary>Leaves sleep mode and selects the PLL clock.</summary>
    public void WakeUp() => WriteRegister(Mpu6050Register.PowerManagement1, (byte)Mpu6050PowerBits.ClockPllXGyro);

    /// <summary>Enters sleep mode (a few µA).</summary>
    public void Sleep() => WriteRegister(Mpu6050Register.PowerManagement1, (byte)(Mpu6050PowerBits.Sleep | Mpu6050PowerBits.ClockPllXGyro));

    /// <summary>
    /// DEVICE_RESET: every register returns to its power-on value (which means asleep, ±2 g, ±250 °/s);
    /// waits for the bit to clear, then wakes the chip again.
    /// </summary>
    public void Reset()
    {
        WriteRegister(Mpu6050Register.PowerManagement1, (byte)Mpu6050PowerBits.DeviceReset);
        for (int attempt = 0; ; attempt++)
        {
            if ((ReadRegister(Mpu6050Register.PowerManagement1) & (byte)Mpu6050PowerBits.DeviceReset) == 0) break;
            if (attempt >= 100) throw new IOException("MPU-6050: DEVICE_RESET did not clear within 100 ms.");
            Thread.Sleep(1);
        }

        _accelRange = AccelerometerRange.Range2G;
        _gyroRange = GyroscopeRange.Range250Dps;
        WakeUp();
    }

    /// <summary>Reads accelerometer, temperature and gyroscope in one 14-byte burst from ACCEL_XOUT_H.</summary>
    public Mpu6050Reading Read()
    {
        Span<byte> raw = stackalloc byte[BurstLength];
        ReadBurst(Mpu6050Register.AccelXoutH, raw);
        double aScale = Mpu6050Scale.AccelerometerLsbPerG(_accelRange);
        double gScale = Mpu6050Scale.GyroscopeLsbPerDps(_gyroRange);
        return new Mpu6050Reading(
            Word(raw, 0) / aScale,
            Word(raw, 2) / aScale,
            Word(raw, 4) / aScale,
            Mpu6050Scale.TemperatureCelsius(Word(raw, 6)),
            Word(raw, 8) / gScale,
            Word(raw, 10) / gScale,
            Word(raw, 12) / gScale);
    }

    /// <summary>Die temperature alone (two bytes from TEMP_OUT_H).</summary>
    public double ReadTemperature()
    {
        Span<byte> raw = stackalloc byte[2];
        ReadBurst(Mpu6050Register.TempOutH, raw);
        return Mpu6050Scale.TemperatureCelsius(Word(raw, 0));
    }

    public void Dispose()
    {
        if (_shouldDispose) _device?.Dispose();
        _device = null;
    }

    private static short Word(ReadOnlySpan<byte> raw, int offset) => BinaryPrimitives.ReadInt16BigEndian(raw.Slice(offset, 2));

    private I2cDevice Device => _device ?? throw new ObjectDisposedException(nameof(Mpu6050));

    private byte ReadRegister(Mpu6050Register register) => Device.ReadByte((byte)register);

    private void ReadBurst(Mpu6050Register start, Span<byte> buffer) => Device.ReadBurst((byte)start, buffer);

    private void WriteRegister(Mpu6050Register register, byte value) => Device.WriteByte((byte)register, value);
}
