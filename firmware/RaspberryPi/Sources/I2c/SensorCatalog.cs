using Embedded.Edge.Sensors;
using Iot.Device.Ads1115;
using Iot.Device.Sht3x;
using UnitsNet;

namespace Embedded.Edge.Sources.I2c;

/// <summary>
/// The sensors <c>--sensor</c> can name, each read through dotnet/iot's Iot.Device.Bindings. An entry is the
/// binding's constructor, one read per period and the quantities taken from it in a fixed unit (the bindings return
/// UnitsNet quantities, so a unit is one property away). The SHT3x entry is the pattern for another sensor the
/// bindings support and that needs nothing the binding lacks; the others go through small wrappers in
/// <c>Sensors/</c> that add what the app needs (recovery checks, units, formula fixes).
/// </summary>
public static class SensorCatalog
{
    public static IReadOnlyList<SensorDefinition> All { get; } =
    [
        new SensorDefinition<Mpu6050Sensor, Mpu6050Reading>("mpu6050", Mpu6050Sensor.DefaultI2cAddress, (bus, _) => new Mpu6050Sensor(bus), s => s.Read(), "mpu-6050")
            .Quantity("accel_x", "g", r => r.AccelerationX)
            .Quantity("accel_y", "g", r => r.AccelerationY)
            .Quantity("accel_z", "g", r => r.AccelerationZ)
            .Quantity("gyro_x", "°/s", r => r.GyroX)
            .Quantity("gyro_y", "°/s", r => r.GyroY)
            .Quantity("gyro_z", "°/s", r => r.GyroZ)
            .Quantity("temperature", "°C", r => r.TemperatureCelsius),

        new SensorDefinition<Ads1115Sensor, Ads1115Reading>("ads1115", Ads1115Sensor.DefaultI2cAddress, (bus, q) => new Ads1115Sensor(bus, q.Select(AdcInput).ToArray()), s => s.Read())
            .Quantity("ain0", "V", r => r[InputMultiplexer.AIN0])
            .Quantity("ain1", "V", r => r[InputMultiplexer.AIN1])
            .Quantity("ain2", "V", r => r[InputMultiplexer.AIN2])
            .Quantity("ain3", "V", r => r[InputMultiplexer.AIN3])
            .Quantity("ain0-ain1", "V", r => r[InputMultiplexer.AIN0_AIN1])
            .Quantity("ain0-ain3", "V", r => r[InputMultiplexer.AIN0_AIN3])
            .Quantity("ain1-ain3", "V", r => r[InputMultiplexer.AIN1_AIN3])
            .Quantity("ain2-ain3", "V", r => r[InputMultiplexer.AIN2_AIN3]),

        new SensorDefinition<Bme280Sensor, Iot.Device.Bmxx80.ReadResult.Bme280ReadResult>("bme280", Bme280Sensor.DefaultI2cAddress, (bus, _) => new Bme280Sensor(bus), s => s.Read())
            .Quantity("temperature", "°C", r => Measured(r.Temperature?.DegreesCelsius, "bme280 temperature"))
            .Quantity("pressure", "hPa", r => Measured(r.Pressure?.Hectopascals, "bme280 pressure"))
            .Quantity("humidity", "%RH", r => Measured(r.Humidity?.Percent, "bme280 humidity")),

        // Another supported sensor: the binding as it is, configuration plus these lines.
        new SensorDefinition<Sht3x, (Temperature Temperature, RelativeHumidity Humidity)>("sht3x", 0x44, (bus, _) => new Sht3x(bus, Resolution.High), s => (s.Temperature, s.Humidity), "sht31", "sht30")
            .Quantity("temperature", "°C", r => r.Temperature.DegreesCelsius)
            .Quantity("humidity", "%RH", r => r.Humidity.Percent),
    ];

    /// <summary>The definition named <paramref name="name"/> (or one of its aliases), lower case; null if none.</summary>
    public static SensorDefinition? Find(string name) =>
        All.FirstOrDefault(d => d.Name == name || d.Aliases.Contains(name));

    private static InputMultiplexer AdcInput(string quantity) => quantity switch
    {
        "ain0" => InputMultiplexer.AIN0,
        "ain1" => InputMultiplexer.AIN1,
        "ain2" => InputMultiplexer.AIN2,
        "ain3" => InputMultiplexer.AIN3,
        "ain0-ain1" => InputMultiplexer.AIN0_AIN1,
        "ain0-ain3" => InputMultiplexer.AIN0_AIN3,
        "ain1-ain3" => InputMultiplexer.AIN1_AIN3,
        _ => InputMultiplexer.AIN2_AIN3,
    };

    private static double Measured(double? value, string what) =>
        value ?? throw new IOException($"{what}: the chip skipped the measurement (oversampling off).");
}
