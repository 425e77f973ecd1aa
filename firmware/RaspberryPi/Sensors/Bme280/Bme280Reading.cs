namespace Embedded.Edge.Sensors.Bmxx80;

/// <summary>One compensated BME280 measurement; a skipped quantity is NaN.</summary>
public readonly struct Bme280Reading
{
    public Bme280Reading(double temperatureCelsius, double pressurePascal, double humidityPercent)
    {
        TemperatureCelsius = temperatureCelsius;
        PressurePascal = pressurePascal;
        HumidityPercent = humidityPercent;
    }

    public double TemperatureCelsius { get; }
    public double PressurePascal { get; }
    public double HumidityPercent { get; }
}
