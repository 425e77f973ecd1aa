namespace Embedded.Edge.Sensors.Imu;

/// <summary>AFS_SEL, bits 4:3 of ACCEL_CONFIG: full-scale range of the accelerometer.</summary>
public enum AccelerometerRange : byte
{
    /// <summary>±2 g, 16384 LSB/g (power-on default).</summary>
    Range2G = 0,
    /// <summary>±4 g, 8192 LSB/g.</summary>
    Range4G = 1,
    /// <summary>±8 g, 4096 LSB/g.</summary>
    Range8G = 2,
    /// <summary>±16 g, 2048 LSB/g.</summary>
    Range16G = 3,
}
