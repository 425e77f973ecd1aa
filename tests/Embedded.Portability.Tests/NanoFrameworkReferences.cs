using System.Collections.Immutable;
using Embedded.Tests.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Embedded.Portability.Tests;

/// <summary>
/// The assemblies portable code is compiled against: the real nanoFramework mscorlib (from the
/// nanoFramework.CoreLibrary package, copied beside the tests), and for the device libraries the real
/// reference assemblies in ../shared/tools/nanoclr/refs when present, else the stand-ins in DeviceStandIns/.
/// </summary>
public static class NanoFrameworkReferences
{
    private static readonly Lazy<MetadataReference> StandIns = new(CompileStandIns);

    /// <summary>The package's lib/mscorlib.dll (CoreLibrary 1.17.11, the version packages.config pins).</summary>
    public static string MscorlibPath { get; } = Path.Combine(AppContext.BaseDirectory, "nanoFramework", "mscorlib.dll");

    /// <summary>C# sources of the device-library stand-ins (used only when the real refs are absent).</summary>
    public static string StandInDirectory => Path.Combine(AppContext.BaseDirectory, "DeviceStandIns");

    /// <summary>../shared/tools/nanoclr (or NANOCLR_TOOLS) when it holds refs/, bin/nanoclr and the scripts; else null.</summary>
    public static string? ToolsDirectory
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("NANOCLR_TOOLS");
            string dir = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(TestPaths.RepoRoot, "..", "shared", "tools", "nanoclr"));
            return File.Exists(Path.Combine(dir, "refs", "mscorlib.dll")) && File.Exists(Path.Combine(dir, "bin", "nanoclr")) ? dir : null;
        }
    }

    /// <summary>The real device-library reference assemblies (every refs/*.dll but mscorlib); empty when absent.</summary>
    public static IReadOnlyList<string> RealDeviceLibraries()
    {
        string? tools = ToolsDirectory;
        if (tools is null) return [];
        return Directory.EnumerateFiles(Path.Combine(tools, "refs"), "*.dll")
            .Where(p => !Path.GetFileName(p).Equals("mscorlib.dll", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
    }

    public static MetadataReference Mscorlib { get; } = MetadataReference.CreateFromFile(MscorlibPath);

    /// <summary>mscorlib plus the device libraries: the real ones when present, else the stand-ins.</summary>
    public static IReadOnlyList<MetadataReference> All()
    {
        var devices = RealDeviceLibraries();
        if (devices.Count > 0) return [Mscorlib, .. devices.Select(p => MetadataReference.CreateFromFile(p))];
        return [Mscorlib, StandInAssembly];
    }

    /// <summary>The stand-ins compiled against the real mscorlib into one assembly.</summary>
    public static MetadataReference StandInAssembly => StandIns.Value;

    private static MetadataReference CompileStandIns()
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp9);
        var trees = Directory.EnumerateFiles(StandInDirectory, "*.cs").OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parse, p));
        var compilation = CSharpCompilation.Create("NanoFramework.DeviceStandIns", trees, [Mscorlib],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => NanoFrameworkSubsetChecker.Format(d.Location, d.GetMessage()));
            throw new InvalidOperationException("the device-library stand-ins do not compile against the real mscorlib:\n" + string.Join("\n", errors));
        }
        return MetadataReference.CreateFromImage(ImmutableArray.Create(stream.ToArray()));
    }
}
