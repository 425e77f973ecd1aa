namespace Embedded.Edge.Sensors.Bmxx80;

/// <summary>osrs_t / osrs_p / osrs_h field values: oversampling per measurement.</summary>
public enum Sampling : byte
{
    /// <summary>Measurement skipped; the output register keeps 0x80000 (0x8000 for humidity).</summary>
    Skipped = 0,
    UltraLowPower = 1,
    LowPower = 2,
    Standard = 3,
    HighResolution = 4,
    UltraHighResolution = 5,
}
