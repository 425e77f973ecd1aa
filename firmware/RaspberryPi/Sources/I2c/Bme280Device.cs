using System.Device.I2c;
using Embedded.Edge.Sensors.Bmxx80;

namespace Embedded.Edge.Sources.I2c;

/// <summary>BME280 channels: temperature in °C, pressure in hPa, humidity in %RH (forced mode, ×1 oversampling).</summary>
public sealed class Bme280Device : SensorDevice
{
    private readonly Bme280 _bme;
    private Bme280Reading _last;

    public Bme280Device(I2cDevice bus) => _bme = new Bme280(bus);

    public override void Sample()
    {
        _last = _bme.Read();
        if (double.IsNaN(_last.TemperatureCelsius)) throw new IOException("BME280 returned a skipped measurement.");
    }

    public override double Get(string quantity) => quantity switch
    {
        "temperature" => _last.TemperatureCelsius,
        "pressure" => _last.PressurePascal / 100.0,
        _ => _last.HumidityPercent,
    };

    public override void Dispose() => _bme.Dispose();
}
