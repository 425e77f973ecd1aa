namespace Embedded.Edge.Sensors.Bmxx80;

/// <summary>filter[2:0] of config: IIR filter coefficient.</summary>
public enum FilteringMode : byte
{
    Off = 0,
    X2 = 1,
    X4 = 2,
    X8 = 3,
    X16 = 4,
}
