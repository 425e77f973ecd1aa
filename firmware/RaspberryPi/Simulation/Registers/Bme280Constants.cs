namespace Embedded.Edge.Simulation;

/// <summary>Fixed values from the BME280 datasheet.</summary>
public static class Bme280Constants
{
    public const byte ChipId = 0x60;

    /// <summary>Writing this to the reset register performs a power-on reset.</summary>
    public const byte ResetCommand = 0xB6;

    /// <summary>status bit 3: a conversion is running.</summary>
    public const byte StatusMeasuring = 0x08;

    /// <summary>status bit 0: NVM trim data is being copied to the image registers.</summary>
    public const byte StatusImUpdate = 0x01;

    /// <summary>Value of a 20-bit temperature or pressure result whose oversampling is "skipped".</summary>
    public const int SkippedTemperaturePressure = 0x80000;

    /// <summary>Value of the 16-bit humidity result when its oversampling is "skipped".</summary>
    public const int SkippedHumidity = 0x8000;

    public const int CalibrationTemperaturePressureLength = 26;
    public const int CalibrationHumidityLength = 7;
    public const int DataLength = 8;
}
