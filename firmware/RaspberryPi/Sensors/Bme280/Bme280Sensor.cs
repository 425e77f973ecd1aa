using System.Device.I2c;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;

namespace Embedded.Edge.Sensors;

/// <summary>
/// The app's view of a BME280 on top of dotnet/iot's <see cref="Bme280"/>: the binding checks the chip id, reads the
/// trim, resets and configures ×1 oversampling, and <see cref="Bme280.Read"/> runs a forced measurement, waits the
/// datasheet's measurement time and compensates. It does not look at the chip afterwards, so this wrapper adds two
/// checks: a measurement still running after that time (a stuck chip would otherwise give its previous values) and a
/// chip whose configuration vanished (a reset or brown-out between reads would otherwise give "skipped" codes as
/// values). Both are IOExceptions, after which the source re-creates the binding.
/// </summary>
public sealed class Bme280Sensor : IDisposable
{
    /// <summary>SDO to GND (0x76, the app's default; the binding's DefaultI2cAddress is 0x77, SDO high).</summary>
    public const int DefaultI2cAddress = Bmx280Base.SecondaryI2cAddress;

    private const byte ControlMeasurement = 0xF4;

    private readonly I2cDevice _bus;

    public Bme280Sensor(I2cDevice bus)
    {
        _bus = bus;
        Binding = new Bme280(bus);
    }

    /// <summary>The dotnet/iot binding underneath (oversampling, filter, standby).</summary>
    public Bme280 Binding { get; }

    /// <summary>One forced measurement of all three quantities; a quantity whose oversampling is Skipped is null.</summary>
    public Bme280ReadResult Read()
    {
        EnsureConfigured();
        Bme280ReadResult result = Binding.Read();
        if (Binding.ReadStatus().Measuring)
            throw new IOException($"BME280 at 0x{_bus.ConnectionSettings.DeviceAddress:X2}: measurement still running after {Binding.GetMeasurementDuration()} ms.");
        return result;
    }

    public void Dispose() => Binding.Dispose();

    private void EnsureConfigured()
    {
        Span<byte> register = [ControlMeasurement];
        Span<byte> value = stackalloc byte[1];
        _bus.WriteRead(register, value);
        int osrsT = value[0] >> 5, osrsP = (value[0] >> 2) & 7;
        if (osrsT != (int)Binding.TemperatureSampling || osrsP != (int)Binding.PressureSampling)
            throw new IOException($"BME280 at 0x{_bus.ConnectionSettings.DeviceAddress:X2} lost its configuration (reset or brown-out); re-initialising.");
    }
}
