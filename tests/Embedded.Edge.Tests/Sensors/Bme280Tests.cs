using Embedded.Edge.Sensors;
using Embedded.Edge.Simulation;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;

namespace Embedded.Edge.Tests.Sensors;

/// <summary>dotnet/iot's Iot.Device.Bmxx80.Bme280 (through <see cref="Bme280Sensor"/>) on the simulated chip.</summary>
public class Bme280Tests
{
    private static readonly Bme280Calibration Example = SimulatedBme280.DatasheetCalibration;

    private static Bme280ReadResult Measure(int adcT, int adcP, int adcH, Bme280Calibration? trim = null)
    {
        var chip = new SimulatedBme280(trim);
        using var bme = new Bme280Sensor(chip);
        chip.SetRaw(adcT, adcP, adcH);
        return bme.Read();
    }

    [Fact]
    public void TemperatureMatchesTheDatasheetWorkedExample()
    {
        // Bosch worked example: adc_T = 519888 with the trim below gives T = 25.08 °C.
        Assert.Equal(25.08, Measure(519888, 415148, 30000).Temperature!.Value.DegreesCelsius, 2);
    }

    [Fact]
    public void PressureMatchesTheDatasheetWorkedExample()
    {
        // Same example: adc_P = 415148 gives 100653.27 Pa (floating point); the binding's 64-bit integer path agrees.
        Assert.InRange(Measure(519888, 415148, 30000).Pressure!.Value.Pascals, 100652.5, 100654.0);
    }

    [Theory]
    [InlineData(30000)]
    [InlineData(25000)]
    [InlineData(35000)]
    public void HumidityAgreesWithTheDatasheetFloatingPointFormula(int adcH)
    {
        double humidity = Measure(519888, 415148, adcH).Humidity!.Value.Percent;
        Assert.InRange(humidity, 0, 100);
        Assert.Equal(ReferenceHumidity(Example, adcH, ReferenceTFine(Example, 519888)), humidity, 0.05);
    }

    [Fact]
    public void HumidityIsClampedToHundredPercent()
    {
        Assert.Equal(100.0, Measure(519888, 415148, 65535).Humidity!.Value.Percent);
        Assert.Equal(0.0, Measure(519888, 415148, 0).Humidity!.Value.Percent);
    }

    [Fact]
    public void TrimWithSharedNibblesIsDecodedByTheBindingAsTheChipEncodesIt()
    {
        // dig_H4 and dig_H5 share register 0xE5 (a nibble each); dig_H6 is signed. (Real parts have positive dig_H4/H5;
        // the binding reads them as unsigned 12-bit values, so the simulated trim stays positive there.)
        var trim = new Bme280Calibration
        {
            DigT1 = Example.DigT1, DigT2 = Example.DigT2, DigT3 = Example.DigT3,
            DigP1 = Example.DigP1, DigP2 = Example.DigP2, DigP3 = Example.DigP3, DigP4 = Example.DigP4, DigP5 = Example.DigP5,
            DigP6 = Example.DigP6, DigP7 = Example.DigP7, DigP8 = Example.DigP8, DigP9 = Example.DigP9,
            DigH1 = 200, DigH2 = 380, DigH3 = 5, DigH4 = 290, DigH5 = 1003, DigH6 = -5,
        };
        var a = new byte[26];
        var b = new byte[7];
        trim.Encode(a, b);
        Assert.Equal(1003, Bme280Calibration.Parse(a, b).DigH5);
        double humidity = Measure(519888, 415148, 28000, trim).Humidity!.Value.Percent;
        Assert.Equal(ReferenceHumidity(trim, 28000, ReferenceTFine(trim, 519888)), humidity, 0.05);
    }

    [Fact]
    public void BindingConfiguresTheChipAndMeasuresInForcedModeOncePerRead()
    {
        var chip = new SimulatedBme280 { MeasurementPolls = 3 };
        // Data registers hold the reset value until the first measurement.
        Assert.Equal(0x80, chip.PeekRegister((byte)Bme280Register.TemperatureMsb));
        using var bme = new Bme280Sensor(chip);
        Assert.Equal((byte)Sampling.UltraLowPower, chip.PeekRegister((byte)Bme280Register.ControlHumidity));
        Assert.Equal(0b001_001_00, chip.PeekRegister((byte)Bme280Register.ControlMeasurement)); // ×1, ×1, sleep
        Assert.Equal(0, chip.MeasurementCount);
        chip.SetRaw(519888, 415148, 30000);
        Bme280ReadResult r = bme.Read();
        Assert.Equal(25.08, r.Temperature!.Value.DegreesCelsius, 2);
        Assert.Equal(1, chip.MeasurementCount);
        // Forced mode returns to sleep; status is idle.
        Assert.Equal(0, chip.PeekRegister((byte)Bme280Register.ControlMeasurement) & 3);
        Assert.False(bme.Binding.ReadStatus().Measuring);
        bme.Read();
        Assert.Equal(2, chip.MeasurementCount);
    }

    [Fact]
    public void SkippedMeasurementsReadAsMissing()
    {
        var chip = new SimulatedBme280();
        using var bme = new Bme280Sensor(chip);
        bme.Binding.HumiditySampling = Sampling.Skipped;
        bme.Binding.PressureSampling = Sampling.Skipped;
        Bme280ReadResult r = bme.Read();
        Assert.Equal(25.08, r.Temperature!.Value.DegreesCelsius, 2);
        Assert.Null(r.Pressure);
        Assert.Null(r.Humidity);
        Assert.Equal(0x80, chip.PeekRegister((byte)Bme280Register.HumidityMsb));
    }

    [Fact]
    public void HumidityOversamplingTakesEffectOnlyAfterCtrlMeasWrite()
    {
        var chip = new SimulatedBme280();
        using var bme = new Bme280Sensor(chip);
        bme.Binding.HumiditySampling = Sampling.Standard;
        bme.Read();
        Assert.Equal((byte)Sampling.Standard, chip.PeekRegister((byte)Bme280Register.ControlHumidity));
        Assert.NotEqual(0x80, chip.PeekRegister((byte)Bme280Register.HumidityMsb));
    }

    [Fact]
    public void WrongChipIdIsRejected()
    {
        var error = Assert.Throws<IOException>(() => new Bme280Sensor(new SimulatedMpu6050(address: 0x76)));
        Assert.Contains("id", error.Message);
    }

    [Fact]
    public void MeasurementThatNeverFinishesFailsWithIOException()
    {
        var chip = new SimulatedBme280();
        using var bme = new Bme280Sensor(chip);
        chip.StuckMeasuring = true;
        var error = Assert.Throws<IOException>(() => bme.Read());
        Assert.Contains("still running", error.Message);
    }

    [Fact]
    public void ChipResetBetweenReadsIsReportedAndReinitialisationRestoresIt()
    {
        var chip = new SimulatedBme280();
        using var bme = new Bme280Sensor(chip);
        bme.Read();
        chip.Write([(byte)Bme280Register.Reset, Bme280Constants.ResetCommand]); // e.g. a brown-out: configuration gone
        var error = Assert.Throws<IOException>(() => bme.Read());
        Assert.Contains("lost its configuration", error.Message);
        using var again = new Bme280Sensor(chip);
        chip.SetRaw(519888, 415148, 30000);
        Assert.Equal(25.08, again.Read().Temperature!.Value.DegreesCelsius, 2);
    }

    [Theory]
    [InlineData(I2cFault.Nack)]
    [InlineData(I2cFault.Timeout)]
    public void BusFaultsSurfaceAsIOException(I2cFault fault)
    {
        var chip = new SimulatedBme280 { TimeoutDelay = TimeSpan.FromMilliseconds(1) };
        using var bme = new Bme280Sensor(chip);
        chip.Fault = fault;
        Assert.Throws<IOException>(() => bme.Read());
        chip.Fault = I2cFault.None;
        Assert.Equal(25.08, bme.Read().Temperature!.Value.DegreesCelsius, 2);
    }

    /// <summary>The datasheet's double-precision temperature formula's t_fine.</summary>
    private static double ReferenceTFine(Bme280Calibration c, int adcT)
    {
        double var1 = (adcT / 16384.0 - c.DigT1 / 1024.0) * c.DigT2;
        double var2 = adcT / 131072.0 - c.DigT1 / 8192.0;
        return var1 + var2 * var2 * c.DigT3;
    }

    /// <summary>The datasheet's double-precision humidity formula, as an independent reference.</summary>
    private static double ReferenceHumidity(Bme280Calibration c, int adcH, double tFine)
    {
        double h = tFine - 76800.0;
        h = (adcH - (c.DigH4 * 64.0 + c.DigH5 / 16384.0 * h))
            * (c.DigH2 / 65536.0 * (1.0 + c.DigH6 / 67108864.0 * h * (1.0 + c.DigH3 / 67108864.0 * h)));
        h *= 1.0 - c.DigH1 * h / 524288.0;
        return Math.Clamp(h, 0, 100);
    }
}
