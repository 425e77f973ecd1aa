using Iot.Device.Ads1115;

namespace Embedded.Edge.Simulation;

/// <summary>Bit layout of the 16-bit config register (datasheet 9.6.3) and the scale factors.</summary>
public static class Ads1115Config
{
    /// <summary>Power-on value: idle, AIN0−AIN1, ±2.048 V, single-shot, 128 SPS, comparator off.</summary>
    public const ushort PowerOnValue = 0x8583;

    /// <summary>OS: write 1 to start a single conversion; reads 0 while a conversion is running.</summary>
    public const ushort OperationalStatus = 0x8000;

    /// <summary>MODE: 1 = single-shot / power-down, 0 = continuous.</summary>
    public const ushort SingleShotMode = 0x0100;

    /// <summary>COMP_QUE = 11: comparator disabled, ALERT/RDY high impedance.</summary>
    public const ushort ComparatorDisabled = 0x0003;

    public static ushort Compose(InputMultiplexer mux, MeasuringRange range, DataRate rate, bool singleShot, bool start) =>
        (ushort)((start ? OperationalStatus : 0)
            | ((int)mux << 12)
            | ((int)range << 9)
            | (singleShot ? SingleShotMode : 0)
            | ((int)rate << 5)
            | ComparatorDisabled);

    public static InputMultiplexer Multiplexer(ushort config) => (InputMultiplexer)((config >> 12) & 7);

    public static MeasuringRange Range(ushort config)
    {
        int pga = (config >> 9) & 7;
        return pga >= 5 ? MeasuringRange.FS0256 : (MeasuringRange)pga;
    }

    public static DataRate Rate(ushort config) => (DataRate)((config >> 5) & 7);

    /// <summary>Full-scale voltage of a range: 6.144, 4.096, 2.048, 1.024, 0.512, 0.256 V.</summary>
    public static double FullScaleVolts(MeasuringRange range) => range switch
    {
        MeasuringRange.FS6144 => 6.144,
        MeasuringRange.FS4096 => 4.096,
        MeasuringRange.FS2048 => 2.048,
        MeasuringRange.FS1024 => 1.024,
        MeasuringRange.FS0512 => 0.512,
        _ => 0.256,
    };

    public static int SamplesPerSecond(DataRate rate) => rate switch
    {
        DataRate.SPS008 => 8,
        DataRate.SPS016 => 16,
        DataRate.SPS032 => 32,
        DataRate.SPS064 => 64,
        DataRate.SPS128 => 128,
        DataRate.SPS250 => 250,
        DataRate.SPS475 => 475,
        _ => 860,
    };
}
