using System.Device.I2c;

namespace Embedded.Edge.Sources.I2c;

/// <summary>
/// One chip on the bus behind the channels that read it: <see cref="Sample"/> performs one set of
/// transfers per period and caches the values the channels then pick.
/// </summary>
public abstract class SensorDevice : IDisposable
{
    /// <summary>Reads the chip; throws IOException when it does not answer.</summary>
    public abstract void Sample();

    /// <summary>A quantity from the last <see cref="Sample"/>, in physical units.</summary>
    public abstract double Get(string quantity);

    public abstract void Dispose();

    /// <summary>Creates the driver for a chip; its constructor probes the chip (identity, reset, configuration).</summary>
    public static SensorDevice Create(SensorKind kind, I2cDevice bus, IReadOnlyList<string> quantities) => kind switch
    {
        SensorKind.Mpu6050 => new Mpu6050Device(bus),
        SensorKind.Ads1115 => new Ads1115Device(bus, quantities),
        _ => new Bme280Device(bus),
    };
}
