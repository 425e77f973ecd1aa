using System.Device.I2c;
using Iot.Device.Ads1115;

namespace Embedded.Edge.Sensors;

/// <summary>
/// The app's view of an ADS1115 on top of dotnet/iot's <see cref="Ads1115"/>: single-shot (power-down) mode, ±4.096 V,
/// 860 SPS, one conversion per requested input per <see cref="Read"/>. A conversion that never finishes surfaces from
/// the binding as a TimeoutException; the source then re-creates the binding.
/// </summary>
public sealed class Ads1115Sensor : IDisposable
{
    /// <summary>ADDR to GND; 0x49..0x4B with ADDR to VDD, SDA, SCL.</summary>
    public const int DefaultI2cAddress = 0x48;

    private readonly InputMultiplexer[] _inputs;

    public Ads1115Sensor(I2cDevice bus, IReadOnlyList<InputMultiplexer> inputs, MeasuringRange range = MeasuringRange.FS4096, DataRate rate = DataRate.SPS860)
    {
        _inputs = inputs.Distinct().ToArray();
        Binding = new Ads1115(bus, _inputs.Length > 0 ? _inputs[0] : InputMultiplexer.AIN0, range, rate, DeviceMode.PowerDown);
    }

    /// <summary>The dotnet/iot binding underneath.</summary>
    public Ads1115 Binding { get; }

    /// <summary>Converts every requested input once; the others read NaN.</summary>
    public Ads1115Reading Read()
    {
        var volts = new double[8];
        Array.Fill(volts, double.NaN);
        foreach (InputMultiplexer input in _inputs) volts[(int)input] = Binding.ReadVoltage(input).Volts;
        return new Ads1115Reading(volts);
    }

    public void Dispose() => Binding.Dispose();
}

/// <summary>Volts per multiplexer setting from one <see cref="Ads1115Sensor.Read"/>.</summary>
public readonly struct Ads1115Reading(double[] volts)
{
    public double this[InputMultiplexer input] => volts[(int)input];
}
