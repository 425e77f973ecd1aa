namespace Embedded.Edge.Simulation;

/// <summary>BME280 register addresses (datasheet section 5.3, memory map).</summary>
public enum Bme280Register : byte
{
    /// <summary>First of 26 trim bytes: dig_T1..dig_P9 (0x88..0x9F), dig_H1 (0xA1).</summary>
    CalibrationTemperaturePressure = 0x88,
    CalibrationH1 = 0xA1,
    ChipId = 0xD0,
    Reset = 0xE0,
    /// <summary>First of 7 trim bytes: dig_H2..dig_H6 (0xE1..0xE7).</summary>
    CalibrationHumidity = 0xE1,
    ControlHumidity = 0xF2,
    Status = 0xF3,
    ControlMeasurement = 0xF4,
    Config = 0xF5,
    /// <summary>First of 8 data bytes: press_msb/lsb/xlsb, temp_msb/lsb/xlsb, hum_msb/lsb.</summary>
    PressureMsb = 0xF7,
    TemperatureMsb = 0xFA,
    HumidityMsb = 0xFD,
}
