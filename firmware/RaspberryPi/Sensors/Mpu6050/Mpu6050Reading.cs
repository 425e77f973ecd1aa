namespace Embedded.Edge.Sensors.Imu;

/// <summary>One consistent burst of MPU-6050 measurements in physical units.</summary>
public readonly struct Mpu6050Reading
{
    public Mpu6050Reading(double accelX, double accelY, double accelZ, double temperature, double gyroX, double gyroY, double gyroZ)
    {
        AccelerationX = accelX;
        AccelerationY = accelY;
        AccelerationZ = accelZ;
        TemperatureCelsius = temperature;
        GyroX = gyroX;
        GyroY = gyroY;
        GyroZ = gyroZ;
    }

    /// <summary>Acceleration in g.</summary>
    public double AccelerationX { get; }
    public double AccelerationY { get; }
    public double AccelerationZ { get; }

    /// <summary>Die temperature in °C.</summary>
    public double TemperatureCelsius { get; }

    /// <summary>Angular rate in °/s.</summary>
    public double GyroX { get; }
    public double GyroY { get; }
    public double GyroZ { get; }
}
