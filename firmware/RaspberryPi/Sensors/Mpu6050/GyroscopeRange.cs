namespace Embedded.Edge.Sensors.Imu;

/// <summary>FS_SEL, bits 4:3 of GYRO_CONFIG: full-scale range of the gyroscope.</summary>
public enum GyroscopeRange : byte
{
    /// <summary>±250 °/s, 131 LSB/(°/s) (power-on default).</summary>
    Range250Dps = 0,
    /// <summary>±500 °/s, 65.5 LSB/(°/s).</summary>
    Range500Dps = 1,
    /// <summary>±1000 °/s, 32.8 LSB/(°/s).</summary>
    Range1000Dps = 2,
    /// <summary>±2000 °/s, 16.4 LSB/(°/s).</summary>
    Range2000Dps = 3,
}
