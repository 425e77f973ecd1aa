using System.Diagnostics;
using Embedded.Edge.Tests.Support;
using Embedded.Tests.Common;

namespace Embedded.Edge.Tests.Hosting;

/// <summary>
/// The NativeAOT publish replaces UnitsNet.UnitConverter.RegisterDefaultConversions (reflection, the source of
/// UnitsNet's only trim warning) with an empty body (firmware/RaspberryPi/UnitsNet.Substitutions.xml). That is
/// only sound while the app never reaches it: this runs the real app over every simulated sensor channel
/// with the runtime listing each method it compiles, and checks the list.
/// </summary>
public class UnitsNetReachTests
{
    private static readonly string[] Channels =
    [
        "mpu6050.accel_z", "mpu6050.temperature", "ads1115.ain0", "bme280.temperature", "bme280.pressure", "bme280.humidity",
        "sht3x.temperature", "sht3x.humidity",
    ];

    [Fact]
    public async Task ReadingEverySensorNeverInitialisesUnitsNetsReflectionBasedConverter()
    {
        string dir = TestPaths.NewTempDir();
        string model = Path.Combine(dir, "model.bin");
        File.WriteAllBytes(model, TestModels.Forecaster(Channels.Length));
        string jitList = Path.Combine(dir, "jit.txt");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "embedded-edge.dll"));
        foreach (string a in (string[])["--model", model, "--simulate", "--rate-hz", "100", "--max-samples", "10", "--output", "json"]) start.ArgumentList.Add(a);
        foreach (string channel in Channels)
        {
            start.ArgumentList.Add("--sensor");
            start.ArgumentList.Add(channel);
        }
        start.Environment["DOTNET_JitDisasmSummary"] = "1";
        start.Environment["DOTNET_JitStdOutFile"] = jitList;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        string log = await stderr;
        Assert.True(process.ExitCode == 0, log);
        Assert.Equal(10, (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        string[] compiled = File.ReadAllLines(jitList);
        // The listing works and covers UnitsNet: the quantities the bindings return were compiled.
        Assert.Contains(compiled, l => l.Contains("UnitsNet.Pressure:.cctor", StringComparison.Ordinal));
        Assert.Contains(compiled, l => l.Contains("UnitsNet.RelativeHumidity:.cctor", StringComparison.Ordinal));
        Assert.Contains(compiled, l => l.Contains("UnitsNet.ElectricPotential:.cctor", StringComparison.Ordinal));
        Assert.DoesNotContain(compiled, l => l.Contains("UnitsNet.UnitsNetSetup:", StringComparison.Ordinal));
        Assert.DoesNotContain(compiled, l => l.Contains("UnitsNet.UnitConverter:RegisterDefaultConversions", StringComparison.Ordinal));
        Assert.DoesNotContain(compiled, l => l.Contains("UnitsNet.UnitConverter:CreateDefault", StringComparison.Ordinal));
    }
}
