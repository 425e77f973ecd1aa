namespace Embedded.Edge.Sensors.Imu;

/// <summary>Bits of PWR_MGMT_1 (0x6B). Power-on value is 0x40: asleep, internal 8 MHz oscillator.</summary>
[Flags]
public enum Mpu6050PowerBits : byte
{
    /// <summary>CLKSEL = 1: PLL with the X gyroscope as reference (recommended over the internal oscillator).</summary>
    ClockPllXGyro = 0x01,
    TemperatureDisable = 0x08,
    Cycle = 0x20,
    Sleep = 0x40,
    /// <summary>Resets every register to its default; clears itself when the reset is done.</summary>
    DeviceReset = 0x80,
}
