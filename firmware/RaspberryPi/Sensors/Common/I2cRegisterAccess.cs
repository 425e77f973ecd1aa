using System.Device.I2c;

namespace Embedded.Edge.Sensors.Common;

/// <summary>
/// Register access for chips with 8-bit register addresses and auto-incrementing burst reads
/// (BME280, MPU-6050): write the start address, then read. One place for the framing the drivers share.
/// </summary>
internal static class I2cRegisterAccess
{
    public static byte ReadByte(this I2cDevice device, byte register)
    {
        Span<byte> value = stackalloc byte[1];
        device.ReadBurst(register, value);
        return value[0];
    }

    public static void ReadBurst(this I2cDevice device, byte start, Span<byte> buffer)
    {
        Span<byte> address = stackalloc byte[] { start };
        device.WriteRead(address, buffer);
    }

    public static void WriteByte(this I2cDevice device, byte register, byte value)
    {
        Span<byte> data = stackalloc byte[] { register, value };
        device.Write(data);
    }
}
