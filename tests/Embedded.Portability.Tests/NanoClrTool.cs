using System.Diagnostics;

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
        Run(tools, "check.sh", ["-o", exe, .. sources], new() { ["NFCHECK_TARGET"] = "exe" });
        Run(tools, "build-pe.sh", [exe, pe, Path.Combine(tools, "refs", "mscorlib.dll")], []);
        return Run(tools, "run.sh", ["-t", "120", pe], []);
    }

    private static string Run(string tools, string script, string[] args, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(tools, script));
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            string tail = stdout.Length > 4000 ? stdout[^4000..] : stdout;
            throw new InvalidOperationException($"{script} exited {process.ExitCode}:\n{stderr.Result}\n{tail}");
        }
        return stdout;
    }
}
