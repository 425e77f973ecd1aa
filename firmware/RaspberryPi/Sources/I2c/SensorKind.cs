namespace Embedded.Edge.Sources.I2c;

/// <summary>The I2C chips the app has drivers for.</summary>
public enum SensorKind
{
    Mpu6050,
    Ads1115,
    Bme280,
}
