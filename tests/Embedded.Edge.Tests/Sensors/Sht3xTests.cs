using Embedded.Edge.Hosting;
using Embedded.Edge.Simulation;
using Embedded.Edge.Sources;
using Embedded.Edge.Sources.I2c;
using Embedded.Edge.Tests.Support;
using Iot.Device.Sht3x;

namespace Embedded.Edge.Tests.Sensors;

/// <summary>The SHT3x, added through <see cref="SensorCatalog"/> alone: dotnet/iot's binding on the simulated chip.</summary>
public class Sht3xTests
{
    [Fact]
    public void BindingResetsTheChipAndConvertsItsCodes()
    {
        var chip = new SimulatedSht3x();
        using var sht = new Sht3x(chip, Resolution.High);
        Assert.Equal(1, chip.ResetCount);
        chip.SetClimate(21.3, 47.2);
        Assert.Equal(21.3, sht.Temperature.DegreesCelsius, 1);
        Assert.Equal(47.2, sht.Humidity.Percent, 1);
        Assert.Equal(2, chip.MeasurementCount);
    }

    [Fact]
    public void ChecksumOfTheDatasheetExample()
    {
        Assert.Equal(0x92, SimulatedSht3x.Crc8([0xBE, 0xEF]));
    }

    [Fact]
    public async Task ChannelsAreReadThroughTheCatalogAndAFailingChipIsReprobed()
    {
        var chip = new SimulatedSht3x();
        chip.SetClimate(-5.5, 80.0);
        var counters = new EdgeCounters();
        string[] names = ["sht3x.humidity", "sht3x.temperature"];
        using var source = new I2cSensorSource(names.Select(SensorChannelSpec.Parse).ToList(), 50, (_, address) => address == 0x44 ? chip : throw new IOException("nothing at that address"), counters, new ListLog().Log);
        var samples = new List<Sample>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (Sample s in source.ReadAllAsync(cts.Token))
        {
            samples.Add(s);
            if (samples.Count == 1) chip.FailFor(2);
            if (samples.Count == 3) break;
        }

        Assert.Equal(80.0, samples[0].Values[0], 1);
        Assert.Equal(-5.5, samples[0].Values[1], 1);
        Assert.Equal(2, counters.SensorErrors);
        Assert.Equal(-5.5, samples[2].Values[1], 1);
    }
}
