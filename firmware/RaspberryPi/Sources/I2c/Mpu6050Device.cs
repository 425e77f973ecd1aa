using System.Device.I2c;
using Embedded.Edge.Sensors.Imu;

namespace Embedded.Edge.Sources.I2c;

/// <summary>MPU-6050 channels: acceleration in g, rates in °/s, die temperature in °C.</summary>
public sealed class Mpu6050Device : SensorDevice
{
    private readonly Mpu6050 _imu;
    private Mpu6050Reading _last;

    public Mpu6050Device(I2cDevice bus) => _imu = new Mpu6050(bus);

    public override void Sample() => _last = _imu.Read();

    public override double Get(string quantity) => quantity switch
    {
        "accel_x" => _last.AccelerationX,
        "accel_y" => _last.AccelerationY,
        "accel_z" => _last.AccelerationZ,
        "gyro_x" => _last.GyroX,
        "gyro_y" => _last.GyroY,
        "gyro_z" => _last.GyroZ,
        _ => _last.TemperatureCelsius,
    };

    public override void Dispose() => _imu.Dispose();
}
