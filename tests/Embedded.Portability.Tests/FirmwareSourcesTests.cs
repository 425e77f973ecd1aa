using Embedded.Tests.Common;

namespace Embedded.Portability.Tests;

/// <summary>
/// The firmware's own sources compiled together with the shared runtime against the real nanoFramework
/// mscorlib and device libraries (the stand-ins in DeviceStandIns/ when ../shared is absent): the app logic
/// that tests/Embedded.Firmware.Tests runs on .NET, and the hardware adapters and entry point that only the
/// .nfproj builds.
/// </summary>
public class FirmwareSourcesTests
{
    private static readonly string Firmware = Path.Combine(TestPaths.RepoRoot, "firmware", "NanoFramework");
    private static readonly string Shared = Path.Combine(TestPaths.RepoRoot, "shared");

    [Fact]
    public void Firmware_app_logic_and_shared_runtime_stay_in_the_nanoFramework_subset()
    {
        var files = NanoFrameworkSubsetChecker.SourcesUnder(Path.Combine(Firmware, "App"))
            .Concat(NanoFrameworkSubsetChecker.SourcesUnder(Shared)).ToList();
        var problems = NanoFrameworkSubsetChecker.CheckFiles(files);
        Assert.True(problems.Count == 0, "firmware app logic steps outside nanoFramework v1:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Whole_firmware_with_hardware_adapters_compiles_against_the_device_apis()
    {
        var files = NanoFrameworkSubsetChecker.SourcesUnder(Firmware)
            .Concat(NanoFrameworkSubsetChecker.SourcesUnder(Shared)).ToList();
        Assert.Contains(files, f => f.EndsWith("Program.cs"));
        Assert.Contains(files, f => f.Contains(Path.Combine("Hardware", "InternalFlashStore.cs")));
        var problems = NanoFrameworkSubsetChecker.CheckFiles(files);
        Assert.True(problems.Count == 0, "firmware does not compile for nanoFramework:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void A_desktop_only_api_in_a_hardware_adapter_is_caught()
    {
        var problems = NanoFrameworkSubsetChecker.CheckSources([("Adapter.cs", """
            using System.IO.Ports;
            namespace Probe
            {
                public static class P
                {
                    public static void Run(SerialPort port) { port.DiscardInBuffer(); System.IO.File.ReadAllLines("I:\\model.txt"); }
                }
            }
            """)]);
        Assert.Equal(2, problems.Count);
    }
}
