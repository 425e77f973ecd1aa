namespace Embedded.Edge.Sensors.Adc;

/// <summary>DR[2:0], config bits 7:5: conversions per second.</summary>
public enum DataRate : byte
{
    SPS8 = 0,
    SPS16 = 1,
    SPS32 = 2,
    SPS64 = 3,
    /// <summary>128 SPS (power-on default).</summary>
    SPS128 = 4,
    SPS250 = 5,
    SPS475 = 6,
    SPS860 = 7,
}
