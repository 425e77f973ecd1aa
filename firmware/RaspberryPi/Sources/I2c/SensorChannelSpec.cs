using System.Globalization;
using Embedded.Edge.Sensors.Adc;
using Embedded.Edge.Sensors.Bmxx80;
using Embedded.Edge.Sensors.Imu;

namespace Embedded.Edge.Sources.I2c;

/// <summary>
/// One model input read from an I2C chip, written <c>device[@bus[:address]].quantity</c>, e.g.
/// <c>mpu6050.accel_z</c>, <c>ads1115@1:0x49.ain2</c>, <c>bme280@1:0x77.pressure</c>.
/// </summary>
public sealed class SensorChannelSpec
{
    private static readonly Dictionary<SensorKind, string[]> Quantities = new()
    {
        [SensorKind.Mpu6050] = ["accel_x", "accel_y", "accel_z", "gyro_x", "gyro_y", "gyro_z", "temperature"],
        [SensorKind.Ads1115] = ["ain0", "ain1", "ain2", "ain3", "ain0-ain1", "ain0-ain3", "ain1-ain3", "ain2-ain3"],
        [SensorKind.Bme280] = ["temperature", "pressure", "humidity"],
    };

    private SensorChannelSpec(string text, SensorKind kind, int bus, int address, string quantity)
    {
        Text = text;
        Kind = kind;
        Bus = bus;
        Address = address;
        Quantity = quantity;
    }

    public string Text { get; }
    public SensorKind Kind { get; }
    public int Bus { get; }
    public int Address { get; }
    public string Quantity { get; }

    /// <summary>Identifies the chip: channels with the same key share one driver and one read per period.</summary>
    public string DeviceKey => $"{Kind.ToString().ToLowerInvariant()}@{Bus}:0x{Address:X2}";

    public static SensorChannelSpec Parse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        int dot = t.LastIndexOf('.');
        if (dot <= 0 || dot == t.Length - 1)
            throw new FormatException($"sensor channel '{text}': expected device[@bus[:address]].quantity, e.g. mpu6050.accel_z or bme280@1:0x77.pressure.");
        string device = t.Substring(0, dot);
        string quantity = t.Substring(dot + 1);
        int bus = 1;
        int? address = null;
        int at = device.IndexOf('@');
        if (at >= 0)
        {
            string where = device.Substring(at + 1);
            device = device.Substring(0, at);
            string[] parts = where.Split(':');
            if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out bus))
                throw new FormatException($"sensor channel '{text}': bus '{parts[0]}' is not a number.");
            if (parts.Length > 1) address = ParseAddress(parts[1], text);
        }

        SensorKind kind = device switch
        {
            "mpu6050" or "mpu-6050" => SensorKind.Mpu6050,
            "ads1115" => SensorKind.Ads1115,
            "bme280" => SensorKind.Bme280,
            _ => throw new FormatException($"sensor channel '{text}': unknown device '{device}' (mpu6050, ads1115, bme280)."),
        };
        if (Array.IndexOf(Quantities[kind], quantity) < 0)
            throw new FormatException($"sensor channel '{text}': {device} has no '{quantity}' (one of {string.Join(", ", Quantities[kind])}).");
        int defaultAddress = kind switch
        {
            SensorKind.Mpu6050 => Mpu6050.DefaultI2cAddress,
            SensorKind.Ads1115 => Ads1115.DefaultI2cAddress,
            _ => Bme280.DefaultI2cAddress,
        };
        return new SensorChannelSpec(text, kind, bus, address ?? defaultAddress, quantity);
    }

    private static int ParseAddress(string text, string channel)
    {
        string digits = text.StartsWith("0x", StringComparison.Ordinal) ? text.Substring(2) : text;
        NumberStyles style = text.StartsWith("0x", StringComparison.Ordinal) ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        if (int.TryParse(digits, style, CultureInfo.InvariantCulture, out int address) && address is >= 0x03 and <= 0x77) return address;
        throw new FormatException($"sensor channel '{channel}': I2C address '{text}' must be 0x03..0x77.");
    }
}
