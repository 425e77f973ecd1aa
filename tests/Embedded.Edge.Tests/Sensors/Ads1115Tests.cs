using Embedded.Edge.Sensors;
using Embedded.Edge.Simulation;
using Iot.Device.Ads1115;

namespace Embedded.Edge.Tests.Sensors;

/// <summary>dotnet/iot's Iot.Device.Ads1115.Ads1115 (directly and through <see cref="Ads1115Sensor"/>) on the simulated chip.</summary>
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
        using var adc = new Ads1115Sensor(chip, [InputMultiplexer.AIN0]);
        chip.SetInput(0, 1.0);
        int before = chip.ConversionCount;
        short raw = adc.Binding.ReadRaw();
        Assert.Equal(8000, raw); // 1.0 V / 4.096 V * 32768
        Assert.Equal(before + 1, chip.ConversionCount); // one conversion per read in single-shot mode
        Assert.Equal(1.0, adc.Read()[InputMultiplexer.AIN0], 3);
        Assert.Equal(before + 2, chip.ConversionCount);
        // Idle again: single-shot mode with our mux, PGA and rate; the comparator left disabled.
        ushort config = (ushort)(chip.PeekRegister(Ads1115Register.Config) | Ads1115Config.OperationalStatus);
        Assert.NotEqual(0, config & Ads1115Config.SingleShotMode);
        Assert.Equal(InputMultiplexer.AIN0, Ads1115Config.Multiplexer(config));
        Assert.Equal(MeasuringRange.FS4096, Ads1115Config.Range(config));
        Assert.Equal(DataRate.SPS860, Ads1115Config.Rate(config));
        Assert.Equal(Ads1115Config.ComparatorDisabled, config & 3);
    }

    [Fact]
    public void DifferentialInputsAreTwosComplementAndSaturate()
    {
        var chip = new SimulatedAds1115();
        using var adc = new Ads1115(chip, InputMultiplexer.AIN0_AIN1, MeasuringRange.FS0256, DataRate.SPS128, DeviceMode.PowerDown);
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
    public void EachRequestedChannelIsSelectedByTheMultiplexerAndConvertedOnce()
    {
        var chip = new SimulatedAds1115();
        InputMultiplexer[] inputs = [InputMultiplexer.AIN0, InputMultiplexer.AIN1, InputMultiplexer.AIN2, InputMultiplexer.AIN3, InputMultiplexer.AIN0_AIN3];
        using var adc = new Ads1115Sensor(chip, inputs, MeasuringRange.FS6144);
        for (int ch = 0; ch < 4; ch++) chip.SetInput(ch, 0.5 * (ch + 1));
        int before = chip.ConversionCount;
        Ads1115Reading r = adc.Read();
        Assert.Equal(before + inputs.Length, chip.ConversionCount);
        Assert.Equal(0.5, r[InputMultiplexer.AIN0], 3);
        Assert.Equal(1.0, r[InputMultiplexer.AIN1], 3);
        Assert.Equal(1.5, r[InputMultiplexer.AIN2], 3);
        Assert.Equal(2.0, r[InputMultiplexer.AIN3], 3);
        Assert.Equal(-1.5, r[InputMultiplexer.AIN0_AIN3], 3);
        Assert.True(double.IsNaN(r[InputMultiplexer.AIN1_AIN3])); // not requested, not converted
    }

    [Fact]
    public void ConversionThatNeverFinishesFailsWithTimeoutException()
    {
        var chip = new SimulatedAds1115();
        using var adc = new Ads1115Sensor(chip, [InputMultiplexer.AIN0]);
        chip.StuckBusy = true;
        Assert.Throws<TimeoutException>(() => adc.Read());
        chip.StuckBusy = false;
        using var again = new Ads1115Sensor(chip, [InputMultiplexer.AIN0]); // re-initialisation
        chip.SetInput(0, 2.0);
        Assert.Equal(2.0, again.Read()[InputMultiplexer.AIN0], 3);
    }

    [Fact]
    public void GeneralCallResetRestoresDefaults()
    {
        var chip = new SimulatedAds1115();
        using var adc = new Ads1115(chip, InputMultiplexer.AIN3, MeasuringRange.FS0512, DataRate.SPS008, DeviceMode.PowerDown);
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
        using var adc = new Ads1115Sensor(chip, [InputMultiplexer.AIN1]);
        chip.Fault = fault;
        Assert.Throws<IOException>(() => adc.Read());
        chip.Fault = I2cFault.None;
        chip.SetInput(1, 0.75);
        Assert.Equal(0.75, adc.Read()[InputMultiplexer.AIN1], 3);
    }
}
