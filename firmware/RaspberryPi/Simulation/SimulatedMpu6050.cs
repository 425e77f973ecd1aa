using System.Device.I2c;
using Iot.Device.Imu;

namespace Embedded.Edge.Simulation;

/// <summary>
/// An MPU-6050 as its register map describes it: powers on asleep (PWR_MGMT_1 = 0x40), WHO_AM_I = 0x68,
/// DEVICE_RESET restores every register, the data registers are refreshed from the physical inputs
/// (scaled by the selected full-scale range and saturated to 16 bits) only while awake, and a read
/// burst auto-increments through ACCEL_XOUT_H..GYRO_ZOUT_L.
/// </summary>
public sealed class SimulatedMpu6050 : RegisterFileChip
{
    /// <summary>AD0 low.</summary>
    public const int DefaultI2cAddress = 0x68;

    /// <summary>AD0 high.</summary>
    public const int SecondaryI2cAddress = 0x69;

    /// <summary>WHO_AM_I reads 0x68 whatever AD0 is.</summary>
    public const byte WhoAmI = 0x68;

    private const byte PowerOnPowerManagement1 = 0x40;
    private readonly byte[] _registers = new byte[128];
    private double _ax, _ay, _az = 1.0, _temperature = 25.0, _gx, _gy, _gz;

    public SimulatedMpu6050(int busId = 1, int address = DefaultI2cAddress)
        : base(new I2cConnectionSettings(busId, address))
    {
        PowerOn();
    }

    /// <summary>Number of DEVICE_RESETs the chip has performed.</summary>
    public int ResetCount { get; private set; }

    /// <summary>Sets the physical state the chip measures: acceleration in g, temperature in °C, rates in °/s.</summary>
    public void SetMotion(double ax, double ay, double az, double gx, double gy, double gz, double temperatureCelsius = 25.0)
    {
        lock (Sync)
        {
            _ax = ax; _ay = ay; _az = az;
            _gx = gx; _gy = gy; _gz = gz;
            _temperature = temperatureCelsius;
        }
    }

    /// <summary>Raw register value, for tests.</summary>
    public byte PeekRegister(Mpu6050Register register)
    {
        lock (Sync) return _registers[(byte)register];
    }

    protected override byte NextAddress(byte address) => (byte)((address + 1) & 0x7F);

    protected override void BeforeBurstRead(byte start, int length)
    {
        // The chip refreshes its output registers at the sample rate; while asleep they keep their last value.
        if ((_registers[(byte)Mpu6050Register.PowerManagement1] & 0x40) == 0) Sample();
    }

    protected override byte ReadRegister(byte address) => _registers[address & 0x7F];

    protected override void WriteRegister(byte address, byte value)
    {
        address &= 0x7F;
        switch ((Mpu6050Register)address)
        {
            case Mpu6050Register.WhoAmI:
                return; // read-only
            case Mpu6050Register.PowerManagement1 when (value & 0x80) != 0:
                ResetCount++;
                PowerOn(); // DEVICE_RESET: all registers to defaults; the bit clears itself
                return;
        }

        if (address >= (byte)Mpu6050Register.AccelXoutH && address < (byte)Mpu6050Register.GyroXoutH + 6) return; // read-only outputs
        _registers[address] = value;
    }

    protected override void OnPowerCycle() => PowerOn();

    private void PowerOn()
    {
        Array.Clear(_registers);
        _registers[(byte)Mpu6050Register.PowerManagement1] = PowerOnPowerManagement1;
        _registers[(byte)Mpu6050Register.WhoAmI] = WhoAmI;
    }

    private void Sample()
    {
        var accelRange = (AccelerometerRange)((_registers[(byte)Mpu6050Register.AccelConfig] >> 3) & 3);
        var gyroRange = (GyroscopeRange)((_registers[(byte)Mpu6050Register.GyroConfig] >> 3) & 3);
        double a = Mpu6050Scale.AccelerometerLsbPerG(accelRange);
        double g = Mpu6050Scale.GyroscopeLsbPerDps(gyroRange);
        StoreWord(Mpu6050Register.AccelXoutH, 0, _ax * a);
        StoreWord(Mpu6050Register.AccelXoutH, 2, _ay * a);
        StoreWord(Mpu6050Register.AccelXoutH, 4, _az * a);
        StoreWord(Mpu6050Register.TempOutH, 0, (_temperature - 36.53) * 340.0);
        StoreWord(Mpu6050Register.GyroXoutH, 0, _gx * g);
        StoreWord(Mpu6050Register.GyroXoutH, 2, _gy * g);
        StoreWord(Mpu6050Register.GyroXoutH, 4, _gz * g);
    }

    private void StoreWord(Mpu6050Register baseRegister, int offset, double value)
    {
        // The ADC saturates at the ends of its 16-bit range.
        double rounded = Math.Round(value);
        short word = rounded >= short.MaxValue ? short.MaxValue : rounded <= short.MinValue ? short.MinValue : (short)rounded;
        int address = (byte)baseRegister + offset;
        _registers[address] = (byte)(word >> 8);
        _registers[address + 1] = (byte)word;
    }
}
