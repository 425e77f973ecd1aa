using Embedded.NanoClrTools;

namespace Embedded.Portability.Tests;

/// <summary>
/// ../shared/tools/nanoclr's scripts: check.sh (compile against the real refs + IL scan) → build-pe.sh
/// (MetadataProcessor) → run.sh (the real nanoCLR interpreter). Each step's failure carries its output.
/// </summary>
internal static class NanoClrTool
{
    /// <summary>Compiles the sources into a program, runs it on nanoCLR and returns its printed lines.</summary>
    public static string BuildAndRun(string tools, string workDir, IReadOnlyList<string> sources)
    {
        string exe = Path.Combine(workDir, "bitexact.exe");
        string pe = Path.Combine(workDir, "bitexact.pe");
        NanoClrToolchain.Tool(tools, "check.sh", ["-o", exe, .. sources], new() { ["NFCHECK_TARGET"] = "exe" });
        NanoClrToolchain.Tool(tools, "build-pe.sh", [exe, pe, Path.Combine(tools, "refs", "mscorlib.dll")], []);
        return NanoClrToolchain.Tool(tools, "run.sh", ["-t", "120", pe], []);
    }
}
