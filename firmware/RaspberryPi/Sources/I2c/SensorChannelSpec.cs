using System.Globalization;

namespace Embedded.Edge.Sources.I2c;

/// <summary>
/// One model input read from an I2C chip, written <c>device[@bus[:address]].quantity</c>, e.g.
/// <c>mpu6050.accel_z</c>, <c>ads1115@1:0x49.ain2</c>, <c>bme280@1:0x77.pressure</c>; devices and quantities are
/// those of <see cref="SensorCatalog"/>.
/// </summary>
public sealed class SensorChannelSpec
{
    private SensorChannelSpec(string text, SensorDefinition device, int bus, int address, string quantity)
    {
        Text = text;
        Device = device;
        Bus = bus;
        Address = address;
        Quantity = quantity;
    }

    public string Text { get; }
    /// <summary>The sensor the channel reads.</summary>
    public SensorDefinition Device { get; }
    public int Bus { get; }
    public int Address { get; }
    public string Quantity { get; }

    /// <summary>Identifies the chip: channels with the same key share one driver and one read per period.</summary>
    public string DeviceKey => $"{Device.Name}@{Bus}:0x{Address:X2}";

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

        SensorDefinition definition = SensorCatalog.Find(device)
            ?? throw new FormatException($"sensor channel '{text}': unknown device '{device}' ({string.Join(", ", SensorCatalog.All.Select(d => d.Name))}).");
        if (!definition.Quantities.Contains(quantity))
            throw new FormatException($"sensor channel '{text}': {device} has no '{quantity}' (one of {string.Join(", ", definition.Quantities)}).");
        return new SensorChannelSpec(text, definition, bus, address ?? definition.DefaultAddress, quantity);
    }

    private static int ParseAddress(string text, string channel)
    {
        string digits = text.StartsWith("0x", StringComparison.Ordinal) ? text.Substring(2) : text;
        NumberStyles style = text.StartsWith("0x", StringComparison.Ordinal) ? NumberStyles.AllowHexSpecifier : NumberStyles.None;
        if (int.TryParse(digits, style, CultureInfo.InvariantCulture, out int address) && address is >= 0x03 and <= 0x77) return address;
        throw new FormatException($"sensor channel '{channel}': I2C address '{text}' must be 0x03..0x77.");
    }
}
