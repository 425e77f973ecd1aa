using Embedded.Edge.Sensors.Bmxx80;
using Embedded.Edge.Simulation;

namespace Embedded.Edge.Tests.Sensors;

public class Bme280Tests
{
    private static readonly Bme280Calibration Example = SimulatedBme280.DatasheetCalibration;

    [Fact]
    public void TemperatureMatchesTheDatasheetWorkedExample()
    {
        // Bosch worked example: adc_T = 519888 with the trim below gives t_fine = 128422, T = 25.08 °C.
        int centi = Bme280Compensation.Temperature(Example, 519888, out int tFine);
        Assert.Equal(128422, tFine);
        Assert.Equal(2508, centi);
    }

    [Fact]
    public void PressureMatchesTheDatasheetWorkedExample()
    {
        // Same example: adc_P = 415148 gives 100653.27 Pa (floating point); the 64-bit integer path agrees within 1/256 Pa steps.
        Bme280Compensation.Temperature(Example, 519888, out int tFine);
        uint q24_8 = Bme280Compensation.Pressure(Example, 415148, tFine);
        Assert.Equal(100653.27, q24_8 / 256.0, 0);
        Assert.InRange(q24_8 / 256.0, 100652.5, 100654.0);
    }

    [Theory]
    [InlineData(30000)]
    [InlineData(25000)]
    [InlineData(35000)]
    public void HumidityAgreesWithTheDatasheetFloatingPointFormula(int adcH)
    {
        Bme280Compensation.Temperature(Example, 519888, out int tFine);
        double integer = Bme280Compensation.Humidity(Example, adcH, tFine) / 1024.0;
        Assert.InRange(integer, 0, 100);
        Assert.Equal(ReferenceHumidity(Example, adcH, tFine), integer, 1);
    }

    [Fact]
    public void HumidityIsClampedToHundredPercent()
    {
        Bme280Compensation.Temperature(Example, 519888, out int tFine);
        Assert.Equal(100.0, Bme280Compensation.Humidity(Example, 65535, tFine) / 1024.0);
        Assert.Equal(0.0, Bme280Compensation.Humidity(Example, 0, tFine) / 1024.0);
    }

    [Fact]
    public void CalibrationRoundTripsThroughTheRegisterLayoutIncludingTheSharedNibbles()
    {
        var trim = new Bme280Calibration { DigT1 = 1, DigH4 = -300, DigH5 = 2047, DigH6 = -5, DigH2 = -2, DigH1 = 200 };
        var a = new byte[26];
        var b = new byte[7];
        trim.Encode(a, b);
        Bme280Calibration back = Bme280Calibration.Parse(a, b);
        Assert.Equal(-300, back.DigH4);
        Assert.Equal(2047, back.DigH5);
        Assert.Equal(-5, back.DigH6);
        Assert.Equal(-2, back.DigH2);
        Assert.Equal(200, back.DigH1);
    }

    [Fact]
    public void DriverResetsReadsTrimAndMeasuresInForcedMode()
    {
        var chip = new SimulatedBme280 { MeasurementPolls = 3 };
        // Data registers hold the reset value until the first measurement.
        Assert.Equal(0x80, chip.PeekRegister((byte)Bme280Register.TemperatureMsb));
        using var bme = new Bme280(chip);
        Assert.Equal(1, chip.ResetCount);
        Assert.Equal(Example.DigP9, bme.Calibration.DigP9);
        Assert.Equal(Example.DigH5, bme.Calibration.DigH5);
        chip.SetRaw(519888, 415148, 30000);
        Bme280Reading r = bme.Read();
        Assert.Equal(25.08, r.TemperatureCelsius, 2);
        Assert.InRange(r.PressurePascal, 100652.5, 100654.0);
        Bme280Compensation.Temperature(Example, 519888, out int tFine);
        Assert.Equal(Bme280Compensation.Humidity(Example, 30000, tFine) / 1024.0, r.HumidityPercent);
        Assert.Equal(1, chip.MeasurementCount);
        // Forced mode returns to sleep; status is idle.
        Assert.Equal(0, chip.PeekRegister((byte)Bme280Register.ControlMeasurement) & 3);
        Assert.Equal(0, bme.ReadStatus() & Bme280Constants.StatusMeasuring);
    }

    [Fact]
    public void SkippedMeasurementsReadAsNaN()
    {
        var chip = new SimulatedBme280();
        using var bme = new Bme280(chip) { HumiditySampling = Sampling.Skipped, PressureSampling = Sampling.Skipped };
        Bme280Reading r = bme.Read();
        Assert.Equal(25.08, r.TemperatureCelsius, 2);
        Assert.True(double.IsNaN(r.PressurePascal));
        Assert.True(double.IsNaN(r.HumidityPercent));
        Assert.Equal(0x80, chip.PeekRegister((byte)Bme280Register.HumidityMsb));
    }

    [Fact]
    public void HumidityOversamplingTakesEffectOnlyAfterCtrlMeasWrite()
    {
        var chip = new SimulatedBme280();
        using var bme = new Bme280(chip) { HumiditySampling = Sampling.Standard };
        bme.Read();
        Assert.Equal((byte)Sampling.Standard, chip.PeekRegister((byte)Bme280Register.ControlHumidity));
        Assert.NotEqual(0x80, chip.PeekRegister((byte)Bme280Register.HumidityMsb));
    }

    [Fact]
    public void WrongChipIdIsRejected()
    {
        var error = Assert.Throws<IOException>(() => new Bme280(new SimulatedMpu6050(address: 0x76)));
        Assert.Contains("chip id", error.Message);
    }

    [Fact]
    public void MeasurementThatNeverFinishesFailsWithIOException()
    {
        var chip = new SimulatedBme280();
        using var bme = new Bme280(chip) { MaxPolls = 3 };
        chip.StuckMeasuring = true;
        Assert.Throws<IOException>(() => bme.Read());
    }

    [Theory]
    [InlineData(I2cFault.Nack)]
    [InlineData(I2cFault.Timeout)]
    public void BusFaultsSurfaceAsIOException(I2cFault fault)
    {
        var chip = new SimulatedBme280 { TimeoutDelay = TimeSpan.FromMilliseconds(1) };
        using var bme = new Bme280(chip);
        chip.Fault = fault;
        Assert.Throws<IOException>(() => bme.Read());
        chip.Fault = I2cFault.None;
        Assert.Equal(25.08, bme.Read().TemperatureCelsius, 2);
    }

    /// <summary>The datasheet's double-precision humidity formula, as an independent reference.</summary>
    private static double ReferenceHumidity(Bme280Calibration c, int adcH, int tFine)
    {
        double h = tFine - 76800.0;
        h = (adcH - (c.DigH4 * 64.0 + c.DigH5 / 16384.0 * h))
            * (c.DigH2 / 65536.0 * (1.0 + c.DigH6 / 67108864.0 * h * (1.0 + c.DigH3 / 67108864.0 * h)));
        h *= 1.0 - c.DigH1 * h / 524288.0;
        return Math.Clamp(h, 0, 100);
    }
}
