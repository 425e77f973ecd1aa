using Embedded.Edge.Sensors.Imu;
using Embedded.Edge.Simulation;

namespace Embedded.Edge.Tests.Sensors;

public class Mpu6050Tests
{
    [Fact]
    public void PowersOnAsleepAndTheDriverWakesIt()
    {
        var chip = new SimulatedMpu6050();
        Assert.Equal(0x40, chip.PeekRegister(Mpu6050Register.PowerManagement1));
        using var imu = new Mpu6050(chip);
        Assert.False(imu.IsSleeping);
        Assert.Equal(0x01, chip.PeekRegister(Mpu6050Register.PowerManagement1));
    }

    [Fact]
    public void BurstReadScalesEveryAxisWithTheDefaultRanges()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050(chip);
        chip.SetMotion(0.5, -1.0, 1.25, 100, -200, 10, temperatureCelsius: 30.0);
        Mpu6050Reading r = imu.Read();
        Assert.Equal(0.5, r.AccelerationX, 4);
        Assert.Equal(-1.0, r.AccelerationY, 4);
        Assert.Equal(1.25, r.AccelerationZ, 4);
        Assert.Equal(100, r.GyroX, 1);
        Assert.Equal(-200, r.GyroY, 1);
        Assert.Equal(10, r.GyroZ, 1);
        Assert.Equal(30.0, r.TemperatureCelsius, 2);
        Assert.Equal(30.0, imu.ReadTemperature(), 2);
    }

    [Theory]
    [InlineData(AccelerometerRange.Range2G, 2.5, 32767)]
    [InlineData(AccelerometerRange.Range2G, -3.0, -32768)]
    [InlineData(AccelerometerRange.Range4G, 2.5, 20480)]
    [InlineData(AccelerometerRange.Range16G, -3.0, -6144)]
    public void AccelerometerRangeSetsSensitivityAndSaturates(AccelerometerRange range, double g, short expectedRaw)
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050(chip) { AccelerometerRange = range };
        Assert.Equal((byte)((int)range << 3), chip.PeekRegister(Mpu6050Register.AccelConfig));
        chip.SetMotion(g, 0, 0, 0, 0, 0);
        double expected = expectedRaw / Mpu6050Scale.AccelerometerLsbPerG(range);
        Assert.Equal(expected, imu.Read().AccelerationX, 6);
    }

    [Fact]
    public void GyroscopeRangeChangesSensitivityAndSaturatesAtFullScale()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050(chip);
        chip.SetMotion(0, 0, 1, 400, 0, 0);
        Assert.Equal(32767 / 131.0, imu.Read().GyroX, 6); // beyond ±250 °/s: clipped
        imu.GyroscopeRange = GyroscopeRange.Range500Dps;
        Assert.Equal(400, imu.Read().GyroX, 1);
    }

    [Fact]
    public void SleepingChipKeepsItsLastSample()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050(chip);
        chip.SetMotion(0.25, 0, 0, 0, 0, 0);
        Assert.Equal(0.25, imu.Read().AccelerationX, 4);
        imu.Sleep();
        Assert.True(imu.IsSleeping);
        chip.SetMotion(0.75, 0, 0, 0, 0, 0);
        Assert.Equal(0.25, imu.Read().AccelerationX, 4);
        imu.WakeUp();
        Assert.Equal(0.75, imu.Read().AccelerationX, 4);
    }

    [Fact]
    public void ResetRestoresPowerOnRangesAndTheDriverWakesTheChipAgain()
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050(chip) { AccelerometerRange = AccelerometerRange.Range8G, GyroscopeRange = GyroscopeRange.Range2000Dps };
        imu.Reset();
        Assert.Equal(1, chip.ResetCount);
        Assert.Equal(0, chip.PeekRegister(Mpu6050Register.AccelConfig));
        Assert.Equal(0, chip.PeekRegister(Mpu6050Register.GyroConfig));
        Assert.Equal(AccelerometerRange.Range2G, imu.AccelerometerRange);
        Assert.False(imu.IsSleeping);
    }

    [Fact]
    public void WrongWhoAmIIsRejected()
    {
        var bme = new SimulatedBme280(address: 0x68); // answers at the address but holds other registers
        var error = Assert.Throws<IOException>(() => new Mpu6050(bme));
        Assert.Contains("WHO_AM_I", error.Message);
    }

    [Theory]
    [InlineData(I2cFault.Nack)]
    [InlineData(I2cFault.Timeout)]
    public void BusFaultsSurfaceAsIOException(I2cFault fault)
    {
        var chip = new SimulatedMpu6050();
        using var imu = new Mpu6050(chip);
        chip.TimeoutDelay = TimeSpan.FromMilliseconds(1);
        chip.FailAfter(1, fault);
        imu.Read();
        var error = Assert.Throws<IOException>(() => imu.Read());
        Assert.Contains(fault == I2cFault.Nack ? "acknowledge" : "timed out", error.Message);
        chip.Fault = I2cFault.None; // the chip answers again: the driver recovers without re-creation
        imu.Read();
    }
}
