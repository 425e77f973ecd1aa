using System.Diagnostics;
using System.Text.RegularExpressions;
using Embedded.NanoClrTools;
using Embedded.Tests.Common;
using Xunit.Abstractions;

namespace Embedded.Portability.Tests;

/// <summary>
/// The product's central claim on the REAL interpreter: a program (NanoClrProgram/ plus the firmware's
/// App/ and shared/ sources, as the .nfproj lists them) runs 20 quantised models (split over a few programs, see ProgramModels.Split) through Predictor +
/// AnomalyDetector and FirmwareApp through boot, sampling, a model update over the flashing protocol and a
/// reboot; built with ../shared/tools/nanoclr and run on nanoCLR, and compiled for .NET and run here, it
/// must print the same lines. Skipped when ../shared/tools/nanoclr is absent.
/// </summary>
public class NanoClrBitExactTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void The_real_nanoCLR_prints_exactly_what_dotnet_prints_for_every_model_and_the_firmware_app()
    {
        string? tools = NanoFrameworkReferences.ToolsDirectory;
        Skip.If(tools is null, "../shared/tools/nanoclr is absent");

        var clock = Stopwatch.StartNew();
        var models = ProgramModels.Make();
        var groups = ProgramModels.Split(models, 50_000);
        var programs = new List<List<string>>();
        var workDirs = new List<string>();
        for (int g = 0; g < groups.Count; g++)
        {
            string work = TestPaths.NewTempDir();
            workDirs.Add(work);
            string generated = Path.Combine(work, "ProgramModels.cs");
            File.WriteAllText(generated, ProgramModels.Source(groups[g], g == 0 ? ProgramModels.Update() : null));
            programs.Add([.. ProgramSources(), generated]);
        }
        output.WriteLine($"{models.Count} models in {groups.Count} programs, made in {clock.ElapsedMilliseconds} ms");

        // nanoCLR builds run as child processes while .NET compiles and runs the same sources here.
        var onNanoClr = programs.Select(sources => Task.Run(() =>
            NanoClrTool.BuildAndRun(tools!, Path.GetDirectoryName(sources[^1])!, sources))).ToList();
        string onDotNet = string.Concat(programs.Select(DotNetProgram.BuildAndRun));
        string nano;
        try
        {
            nano = string.Concat(onNanoClr.Select(t => t.GetAwaiter().GetResult()));
        }
        finally
        {
            Task.WaitAll([.. onNanoClr.Where(t => !t.IsCompleted)]);
            foreach (var dir in workDirs) Directory.Delete(dir, recursive: true);
        }
        output.WriteLine($"both runs done at {clock.ElapsedMilliseconds} ms");

        var expected = Lines(onDotNet);
        var actual = Lines(nano);
        Assert.Equal(groups.Count, expected.Count(l => l == "END"));
        Assert.DoesNotContain(expected, l => l.StartsWith("EXCEPTION", StringComparison.Ordinal));
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            Assert.True(expected[i] == actual[i], $"line {i + 1} differs:\n.NET:    {expected[i]}\nnanoCLR: {actual[i]}");
        }
        Assert.Equal(expected.Count, actual.Count);

        // What the identical output covers: every model's golden vectors and stream, and the whole app story.
        foreach (var (name, _) in models)
        {
            Assert.Contains("MODEL " + name + " golden-mismatches=0", expected);
            Assert.Single(expected, l => l.StartsWith("SUM " + name + " ", StringComparison.Ordinal));
        }
        Assert.Contains(expected, l => Regex.IsMatch(l, @"^SUM \S+ anomalies=[1-9]"));
        Assert.Contains(expected, l => l.StartsWith("SERIAL MODEL embedded ", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.StartsWith("SERIAL S n=", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.StartsWith("FLASH state=5 failure=0 ", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.StartsWith("SERIAL MODEL flash ", StringComparison.Ordinal));
        Assert.Contains(expected, l => Regex.IsMatch(l, @"^APP samples=[1-9]\d* source=flash crc="));
        // Record mode streamed samples (each Sample frame's bytes are in the compared transcript) and stopped on RecordStop.
        Assert.Contains(expected, l => Regex.IsMatch(l, @"^RECORD sent=[1-9]\d* recording=0 "));
        output.WriteLine($"{expected.Count} identical lines; {expected.Count(l => l.StartsWith("SERIAL ", StringComparison.Ordinal))} of them serial output");
    }

    /// <summary>The program's own files, then the firmware's App/ and shared/ files in the .nfproj's compile list.</summary>
    private static IEnumerable<string> ProgramSources()
    {
        var program = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "NanoClrProgram"), "*.cs").OrderBy(p => p, StringComparer.Ordinal);
        return program.Concat(NanoClrToolchain.FirmwareSources(TestPaths.RepoRoot, withApp: true));
    }

    private static List<string> Lines(string text) => text.Replace("\r", "").Split('\n').Where(l => l.Length > 0).ToList();
}
