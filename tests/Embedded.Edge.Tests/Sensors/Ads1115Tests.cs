using Embedded.Edge.Sensors.Adc;
using Embedded.Edge.Simulation;

namespace Embedded.Edge.Tests.Sensors;

public class Ads1115Tests
{
    [Fact]
    public void PowerOnConfigIsTheDatasheetDefault()
    {
        var chip = new SimulatedAds1115();
        Assert.Equal(0x8583, chip.PeekRegister(Ads1115Register.Config) | Ads1115Config.OperationalStatus);
        Assert.Equal(0x8000, chip.PeekRegister(Ads1115Register.LowThreshold));
        Assert.Equal(0x7FFF, chip.PeekRegister(Ads1115Register.HighThreshold));
    }

    [Fact]
    public void SingleShotConversionWaitsForTheBusyBitAndScalesByPga()
    {
        var chip = new SimulatedAds1115 { ConversionPolls = 3 };
        using var adc = new Ads1115(chip, InputMultiplexer.Ain0, MeasuringRange.FS4096, DataRate.SPS860);
        chip.SetInput(0, 1.0);
        short raw = adc.ReadRaw();
        Assert.Equal(8000, raw); // 1.0 V / 4.096 V * 32768
        Assert.Equal(1, chip.ConversionCount);
        Assert.Equal(1.0, adc.ReadVoltage(), 3);
        // Idle again: OS reads 1, MODE single-shot, our mux/PGA/rate.
        ushort config = adc.ReadConfig();
        Assert.NotEqual(0, config & Ads1115Config.OperationalStatus);
        Assert.Equal(InputMultiplexer.Ain0, Ads1115Config.Multiplexer(config));
        Assert.Equal(MeasuringRange.FS4096, Ads1115Config.Range(config));
        Assert.Equal(DataRate.SPS860, Ads1115Config.Rate(config));
    }

    [Fact]
    public void DifferentialInputsAreTwosComplementAndSaturate()
    {
        var chip = new SimulatedAds1115();
        using var adc = new Ads1115(chip, InputMultiplexer.Ain0Ain1, MeasuringRange.FS0256);
        chip.SetInput(0, 0.1);
        chip.SetInput(1, 0.2);
        Assert.Equal(-12800, adc.ReadRaw()); // -0.1 V at ±0.256 V
        chip.SetInput(1, 1.0);
        Assert.Equal(short.MinValue, adc.ReadRaw());
        Assert.Equal(0x8000, chip.PeekRegister(Ads1115Register.Conversion));
        chip.SetInput(0, 3.0);
        chip.SetInput(1, 0);
        Assert.Equal(short.MaxValue, adc.ReadRaw());
    }

    [Fact]
    public void EachChannelIsSelectedByTheMultiplexer()
    {
        var chip = new SimulatedAds1115();
        using var adc = new Ads1115(chip, range: MeasuringRange.FS6144);
        for (int ch = 0; ch < 4; ch++) chip.SetInput(ch, 0.5 * (ch + 1));
        Assert.Equal(0.5, adc.ReadVoltage(InputMultiplexer.Ain0), 3);
        Assert.Equal(1.0, adc.ReadVoltage(InputMultiplexer.Ain1), 3);
        Assert.Equal(1.5, adc.ReadVoltage(InputMultiplexer.Ain2), 3);
        Assert.Equal(2.0, adc.ReadVoltage(InputMultiplexer.Ain3), 3);
        Assert.Equal(-1.5, adc.ReadVoltage(InputMultiplexer.Ain0Ain3), 3);
    }

    [Fact]
    public void ConversionThatNeverFinishesFailsWithIOException()
    {
        var chip = new SimulatedAds1115 { StuckBusy = true };
        using var adc = new Ads1115(chip) { MaxPolls = 3 };
        var error = Assert.Throws<IOException>(() => adc.ReadRaw());
        Assert.Contains("busy", error.Message);
    }

    [Fact]
    public void GeneralCallResetRestoresDefaults()
    {
        var chip = new SimulatedAds1115();
        using var adc = new Ads1115(chip, InputMultiplexer.Ain3, MeasuringRange.FS0512, DataRate.SPS8);
        Assert.NotEqual(Ads1115Config.PowerOnValue, (ushort)(chip.PeekRegister(Ads1115Register.Config) | 0x8000));
        chip.GeneralCallReset();
        Assert.Equal(Ads1115Config.PowerOnValue, (ushort)(chip.PeekRegister(Ads1115Register.Config) | 0x8000));
    }

    [Theory]
    [InlineData(I2cFault.Nack)]
    [InlineData(I2cFault.Timeout)]
    public void BusFaultsSurfaceAsIOException(I2cFault fault)
    {
        var chip = new SimulatedAds1115 { TimeoutDelay = TimeSpan.FromMilliseconds(1) };
        using var adc = new Ads1115(chip);
        chip.Fault = fault;
        Assert.Throws<IOException>(() => adc.ReadRaw());
        chip.Fault = I2cFault.None;
        adc.ReadRaw();
    }
}
