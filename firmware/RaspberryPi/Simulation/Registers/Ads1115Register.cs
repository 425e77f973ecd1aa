namespace Embedded.Edge.Simulation;

/// <summary>ADS1115 address-pointer values (datasheet 9.6.1). Every register is 16 bits, MSB first.</summary>
public enum Ads1115Register : byte
{
    Conversion = 0x00,
    Config = 0x01,
    LowThreshold = 0x02,
    HighThreshold = 0x03,
}
