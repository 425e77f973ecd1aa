using Iot.Device.Imu;

namespace Embedded.Edge.Simulation;

/// <summary>Sensitivities from the MPU-6050 product specification (section 6.1/6.2) and the temperature formula.</summary>
public static class Mpu6050Scale
{
    /// <summary>LSB per g for a range: 16384 >> AFS_SEL.</summary>
    public static double AccelerometerLsbPerG(AccelerometerRange range) => 16384.0 / (1 << (int)range);

    /// <summary>LSB per °/s for a range: 131, 65.5, 32.8, 16.4.</summary>
    public static double GyroscopeLsbPerDps(GyroscopeRange range) => range switch
    {
        GyroscopeRange.Range0250Dps => 131.0,
        GyroscopeRange.Range0500Dps => 65.5,
        GyroscopeRange.Range1000Dps => 32.8,
        _ => 16.4,
    };

    /// <summary>Temperature in °C = TEMP_OUT / 340 + 36.53 (register map, section 4.18).</summary>
    public static double TemperatureCelsius(short raw) => raw / 340.0 + 36.53;
}
