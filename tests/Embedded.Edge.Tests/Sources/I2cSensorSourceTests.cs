using System.Device.I2c;
using Embedded.Edge.Hosting;
using Embedded.Edge.Simulation;
using Embedded.Edge.Sources;
using Embedded.Edge.Sources.I2c;
using Embedded.Edge.Tests.Support;

namespace Embedded.Edge.Tests.Sources;

public class I2cSensorSourceTests
{
    private static async Task<List<Sample>> Take(I2cSensorSource source, int count, Action<int>? afterSample = null)
    {
        var samples = new List<Sample>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (Sample s in source.ReadAllAsync(cts.Token))
        {
            samples.Add(s);
            afterSample?.Invoke(samples.Count);
            if (samples.Count == count) break;
        }

        return samples;
    }

    [Fact]
    public async Task ChannelsFromThreeChipsArriveInModelInputOrder()
    {
        var imu = new SimulatedMpu6050();
        var adc = new SimulatedAds1115();
        var bme = new SimulatedBme280();
        imu.SetMotion(0, 0, 0.5, 0, 0, 0);
        adc.SetInput(2, 1.25);
        I2cDevice Open(int bus, int address) => address switch { 0x68 => imu, 0x48 => adc, _ => bme };
        string[] names = ["bme280.temperature", "mpu6050.accel_z", "ads1115.ain2", "bme280.pressure"];
        using var source = new I2cSensorSource(names.Select(SensorChannelSpec.Parse).ToList(), 200, Open, new EdgeCounters(), new ListLog().Log);
        List<Sample> samples = await Take(source, 3);
        Assert.Equal(3, samples.Count);
        Assert.Equal(25.08, samples[0].Values[0], 2);
        Assert.Equal(0.5, samples[0].Values[1], 3);
        Assert.Equal(1.25, samples[0].Values[2], 3);
        Assert.InRange(samples[0].Values[3], 1006.5, 1006.6); // hPa
        Assert.Equal(3, bme.MeasurementCount); // one forced measurement per period serves both BME channels
    }

    [Fact]
    public async Task SensorThatStopsAnsweringIsCountedAndReprobedWhenItComesBack()
    {
        var imu = new SimulatedMpu6050();
        imu.SetMotion(0, 0, 1, 0, 0, 0);
        var counters = new EdgeCounters();
        var log = new ListLog();
        using var source = new I2cSensorSource([SensorChannelSpec.Parse("mpu6050.accel_z")], 500, (_, _) => imu, counters, log.Log);
        // After two samples the chip browns out: four transfers fail, then it answers again, asleep.
        List<Sample> samples = await Take(source, 3, n =>
        {
            if (n == 2) imu.FailFor(4, I2cFault.Nack, powerCycle: true);
        });
        Assert.Equal(4, counters.SensorErrors);
        // Re-probing woke the chip: a live reading, not the power-on zeros of a sleeping chip.
        Assert.Equal(1.0, samples[2].Values[0], 3);
        Assert.True(log.Contains("sensor mpu6050@1:0x68"), string.Join("\n", log.Lines));
    }

    [Fact]
    public async Task SlowSamplesAreReportedAsOverruns()
    {
        var adc = new SimulatedAds1115 { TransferDelay = TimeSpan.FromMilliseconds(15) };
        var counters = new EdgeCounters();
        using var source = new I2cSensorSource([SensorChannelSpec.Parse("ads1115.ain0")], 1000, (_, _) => adc, counters, new ListLog().Log);
        List<Sample> samples = await Take(source, 3);
        Assert.Equal(3, samples.Count);
        Assert.True(counters.Overruns > 0);
    }

    [Theory]
    [InlineData("mpu6050.accel_z", "mpu6050", 1, 0x68, "accel_z")]
    [InlineData("ads1115@3:0x49.ain0-ain1", "ads1115", 3, 0x49, "ain0-ain1")]
    [InlineData("BME280@1:0x77.Pressure", "bme280", 1, 0x77, "pressure")]
    [InlineData("bme280.humidity", "bme280", 1, 0x76, "humidity")]
    [InlineData("sht31@2.temperature", "sht3x", 2, 0x44, "temperature")]
    public void ChannelSpecsParse(string text, string device, int bus, int address, string quantity)
    {
        SensorChannelSpec spec = SensorChannelSpec.Parse(text);
        Assert.Equal(device, spec.Device.Name);
        Assert.Equal(bus, spec.Bus);
        Assert.Equal(address, spec.Address);
        Assert.Equal(quantity, spec.Quantity);
    }

    [Theory]
    [InlineData("mpu6050")]
    [InlineData("lis3dh.accel_x")]
    [InlineData("bme280.accel_x")]
    [InlineData("sht3x.pressure")]
    [InlineData("ads1115@1:0x99.ain0")]
    public void BadChannelSpecsAreRejectedWithTheirText(string text)
    {
        var error = Assert.Throws<FormatException>(() => SensorChannelSpec.Parse(text));
        Assert.Contains(text, error.Message);
    }
}
