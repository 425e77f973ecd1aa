using System.Device.I2c;

namespace Embedded.Edge.Simulation;

/// <summary>
/// An SHT3x (SHT30/31/35) as its datasheet describes it: 16-bit commands, MSB first; a single-shot measurement
/// command (0x24xx without, 0x2Cxx with clock stretching) is answered by the next 6-byte read: temperature MSB, LSB,
/// CRC-8, humidity MSB, LSB, CRC-8 (polynomial 0x31, init 0xFF); a read with no measurement pending is not
/// acknowledged. T = −45 + 175 · S_T / 65535 °C, RH = 100 · S_RH / 65535 %.
/// </summary>
public sealed class SimulatedSht3x : SimulatedI2cDevice
{
    /// <summary>ADDR low; 0x45 with ADDR high.</summary>
    public const int DefaultI2cAddress = 0x44;

    private double _temperature = 22.5, _humidity = 40.0;
    private bool _measurementPending;

    public SimulatedSht3x(int busId = 1, int address = DefaultI2cAddress)
        : base(new I2cConnectionSettings(busId, address))
    {
    }

    public int MeasurementCount { get; private set; }

    public int ResetCount { get; private set; }

    public bool HeaterOn { get; private set; }

    /// <summary>When set, every result carries a wrong CRC (a disturbed bus).</summary>
    public bool CorruptCrc { get; set; }

    /// <summary>Sets what the chip measures.</summary>
    public void SetClimate(double temperatureCelsius, double humidityPercent)
    {
        lock (Sync)
        {
            _temperature = temperatureCelsius;
            _humidity = humidityPercent;
        }
    }

    /// <summary>CRC-8 of the datasheet (section 4.12): polynomial x⁸ + x⁵ + x⁴ + 1, init 0xFF.</summary>
    public static byte Crc8(ReadOnlySpan<byte> data)
    {
        byte crc = 0xFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x31) : (byte)(crc << 1);
        }

        return crc;
    }

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2) return;
        int command = (data[0] << 8) | data[1];
        switch (command)
        {
            case 0x30A2: // soft reset
                ResetCount++;
                HeaterOn = false;
                _measurementPending = false;
                return;
            case 0x306D:
                HeaterOn = true;
                return;
            case 0x3066:
                HeaterOn = false;
                return;
        }

        if (data[0] is 0x24 or 0x2C) _measurementPending = true; // single shot, any repeatability
    }

    protected override void OnRead(Span<byte> data)
    {
        if (!_measurementPending)
            throw new IOException($"Error 6 performing I2C data transfer: no acknowledge from address 0x{ConnectionSettings.DeviceAddress:X2} (no measurement pending).");
        _measurementPending = false;
        MeasurementCount++;
        Span<byte> frame = stackalloc byte[6];
        ushort st = Code((_temperature + 45.0) * 65535.0 / 175.0);
        ushort srh = Code(_humidity * 65535.0 / 100.0);
        frame[0] = (byte)(st >> 8);
        frame[1] = (byte)st;
        frame[2] = (byte)(Crc8(frame.Slice(0, 2)) ^ (CorruptCrc ? 0x5A : 0));
        frame[3] = (byte)(srh >> 8);
        frame[4] = (byte)srh;
        frame[5] = (byte)(Crc8(frame.Slice(3, 2)) ^ (CorruptCrc ? 0x5A : 0));
        frame.Slice(0, Math.Min(6, data.Length)).CopyTo(data);
    }

    private static ushort Code(double value) => (ushort)Math.Clamp(Math.Round(value), 0, 65535);
}
