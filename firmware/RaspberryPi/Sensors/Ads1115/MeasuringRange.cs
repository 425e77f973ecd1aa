namespace Embedded.Edge.Sensors.Adc;

/// <summary>PGA[2:0], config bits 11:9: full-scale range of the programmable gain amplifier.</summary>
public enum MeasuringRange : byte
{
    FS6144 = 0,
    FS4096 = 1,
    /// <summary>±2.048 V (power-on default).</summary>
    FS2048 = 2,
    FS1024 = 3,
    FS0512 = 4,
    /// <summary>±0.256 V (codes 5, 6 and 7 all select it).</summary>
    FS0256 = 5,
}
