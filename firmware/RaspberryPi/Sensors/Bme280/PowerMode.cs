namespace Embedded.Edge.Sensors.Bmxx80;

/// <summary>mode[1:0] of ctrl_meas.</summary>
public enum PowerMode : byte
{
    Sleep = 0,
    /// <summary>One measurement, then back to sleep (01 and 10 both mean forced).</summary>
    Forced = 1,
    Normal = 3,
}
