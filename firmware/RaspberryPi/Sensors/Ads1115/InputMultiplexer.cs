namespace Embedded.Edge.Sensors.Adc;

/// <summary>MUX[2:0], config bits 14:12: which inputs are measured.</summary>
public enum InputMultiplexer : byte
{
    /// <summary>AIN0 − AIN1 (power-on default).</summary>
    Ain0Ain1 = 0,
    Ain0Ain3 = 1,
    Ain1Ain3 = 2,
    Ain2Ain3 = 3,
    /// <summary>AIN0 against GND.</summary>
    Ain0 = 4,
    Ain1 = 5,
    Ain2 = 6,
    Ain3 = 7,
}
