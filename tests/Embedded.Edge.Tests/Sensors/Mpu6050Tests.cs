using Embedded.Edge.Sensors;
using Embedded.Edge.Simulation;
using Iot.Device.Imu;

namespace Embedded.Edge.Tests.Sensors;

/// <summary>dotnet/iot's Iot.Device.Imu.Mpu6050 (through the app's <see cref="Mpu6050Sensor"/>) on the simulated chip.</summary>
public class Mpu6050Tests
{
    // The binding scales by full scale / 32768 (250 °/s → 131.07 LSB per °/s); the datasheet's sensitivity is 131.
    private const double GyroScaleTolerance = 0.002;

    [Fact]
    public void PowersOnAsleepAndTheBindingResetsAndWakesIt()
    {
        var chip = new SimulatedMpu6050();
        Assert.Equal(0x40, chip.PeekRegister(Mpu6050Register.PowerManagement1));
        using var imu = new Mpu6050Sensor(chip);
        Assert.Equal(1, chip.ResetCount);
        Assert.Equal(0x01, chip.PeekRegister(Mpu6050Register.PowerManagement1)); // awake, PLL clock
        Assert.Equal(0, chip.PeekRegister(Mpu6050Register.AccelConfig)); // ±2 g
        Assert.Equal(0, chip.PeekRegister(Mpu6050Register.GyroConfig)); // ±250 °/s
    }

    [Fact]
    public void ReadingScalesEveryAxisWithTheDefaultRanges()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050Sensor(chip);
        chip.SetMotion(0.5, -1.0, 1.25, 100, -200, 10, temperatureCelsius: 30.0);
        Mpu6050Reading r = imu.Read();
        Assert.Equal(0.5, r.AccelerationX, 4);
        Assert.Equal(-1.0, r.AccelerationY, 4);
        Assert.Equal(1.25, r.AccelerationZ, 4);
        Assert.Equal(100, r.GyroX, 100 * GyroScaleTolerance);
        Assert.Equal(-200, r.GyroY, 200 * GyroScaleTolerance);
        Assert.Equal(10, r.GyroZ, 10 * GyroScaleTolerance);
        Assert.Equal(30.0, r.TemperatureCelsius, 2);
    }

    [Theory]
    [InlineData(-40.0)]
    [InlineData(0.0)]
    [InlineData(36.53)]
    [InlineData(85.0)]
    public void DieTemperatureUsesTheMpu6050FormulaNotTheBindingsMpu9250One(double celsius)
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050Sensor(chip);
        chip.SetMotion(0, 0, 1, 0, 0, 0, celsius);
        short raw = (short)Math.Round((celsius - 36.53) * 340.0);
        Assert.Equal(raw / 340.0 + 36.53, imu.Read().TemperatureCelsius, 9);
        Assert.NotEqual(celsius, imu.Binding.GetTemperature().DegreesCelsius, 1); // what the binding alone reports
    }

    [Theory]
    [InlineData(AccelerometerRange.Range02G, 2.5, 32767)]
    [InlineData(AccelerometerRange.Range02G, -3.0, -32768)]
    [InlineData(AccelerometerRange.Range04G, 2.5, 20480)]
    [InlineData(AccelerometerRange.Range16G, -3.0, -6144)]
    public void AccelerometerRangeSetsSensitivityAndSaturates(AccelerometerRange range, double g, short expectedRaw)
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050Sensor(chip);
        imu.Binding.AccelerometerRange = range;
        Assert.Equal((byte)((int)range << 3), chip.PeekRegister(Mpu6050Register.AccelConfig));
        chip.SetMotion(g, 0, 0, 0, 0, 0);
        double expected = expectedRaw / Mpu6050Scale.AccelerometerLsbPerG(range);
        Assert.Equal(expected, imu.Read().AccelerationX, 1e-5);
    }

    [Fact]
    public void GyroscopeRangeChangesSensitivityAndSaturatesAtFullScale()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050Sensor(chip);
        chip.SetMotion(0, 0, 1, 400, 0, 0);
        Assert.Equal(250, imu.Read().GyroX, 250 * GyroScaleTolerance); // beyond ±250 °/s: clipped at full scale
        imu.Binding.GyroscopeRange = GyroscopeRange.Range0500Dps;
        Assert.Equal((byte)(1 << 3), chip.PeekRegister(Mpu6050Register.GyroConfig));
        Assert.Equal(400, imu.Read().GyroX, 400 * GyroScaleTolerance);
    }

    [Fact]
    public void ChipThatFellAsleepIsReportedNotReadAsFrozenValues()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050Sensor(chip);
        chip.SetMotion(0.25, 0, 0, 0, 0, 0);
        Assert.Equal(0.25, imu.Read().AccelerationX, 4);
        chip.Write([(byte)Mpu6050Register.PowerManagement1, 0x40]); // asleep: the outputs keep their last sample
        chip.SetMotion(0.75, 0, 0, 0, 0, 0);
        var error = Assert.Throws<IOException>(() => imu.Read());
        Assert.Contains("asleep", error.Message);
        using var again = new Mpu6050Sensor(chip); // what the source does next period
        Assert.Equal(0.75, again.Read().AccelerationX, 4);
    }

    [Fact]
    public void DeviceResetRestoresPowerOnRangesAndReinitialisationWakesTheChipAgain()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050Sensor(chip);
        imu.Binding.AccelerometerRange = AccelerometerRange.Range08G;
        imu.Binding.GyroscopeRange = GyroscopeRange.Range2000Dps;
        chip.Write([(byte)Mpu6050Register.PowerManagement1, 0x80]); // DEVICE_RESET, e.g. by a watchdog
        Assert.Equal(2, chip.ResetCount);
        Assert.Equal(0, chip.PeekRegister(Mpu6050Register.AccelConfig));
        Assert.Equal(0, chip.PeekRegister(Mpu6050Register.GyroConfig));
        Assert.Equal(0x40, chip.PeekRegister(Mpu6050Register.PowerManagement1));
        Assert.Throws<IOException>(() => imu.Read());
        using var again = new Mpu6050Sensor(chip);
        Assert.Equal(AccelerometerRange.Range02G, again.Binding.AccelerometerRange);
        Assert.Equal(0x01, chip.PeekRegister(Mpu6050Register.PowerManagement1));
        chip.SetMotion(1.5, 0, 0, 0, 0, 0);
        Assert.Equal(1.5, again.Read().AccelerationX, 4);
    }

    [Fact]
    public void WrongWhoAmIIsRejected()
    {
        var bme = new SimulatedBme280(address: 0x68); // answers at the address but holds other registers
        var error = Assert.Throws<IOException>(() => new Mpu6050Sensor(bme));
        Assert.Contains("0x68", error.Message);
    }

    [Theory]
    [InlineData(I2cFault.Nack)]
    [InlineData(I2cFault.Timeout)]
    public void BusFaultsSurfaceAsIOExceptionAndTheBindingReadsAgainWhenTheChipAnswers(I2cFault fault)
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050Sensor(chip);
        chip.TimeoutDelay = TimeSpan.FromMilliseconds(1);
        imu.Read();
        chip.Fault = fault;
        var error = Assert.Throws<IOException>(() => imu.Read());
        Assert.Contains(fault == I2cFault.Nack ? "acknowledge" : "timed out", error.Message);
        chip.Fault = I2cFault.None; // the chip answers again with its state intact: no re-creation needed
        chip.SetMotion(0, 0, -1, 0, 0, 0);
        Assert.Equal(-1, imu.Read().AccelerationZ, 4);
    }
}
