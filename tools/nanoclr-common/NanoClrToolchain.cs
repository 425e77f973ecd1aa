using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Embedded.NanoClrTools;

/// <summary>
/// What the nanoCLR tools (tools/nanoclr-bench, tools/nanoclr-ram) and the bit-exact test share: running
/// ../shared/tools/nanoclr's scripts, the firmware's source list from its .nfproj, and the repository root.
/// Linked into each of them.
/// </summary>
internal static class NanoClrToolchain
{
    /// <summary>Runs a script of the nanoclr folder with bash; returns its stdout, throws with its output on a non-zero exit.</summary>
    public static string Tool(string tools, string script, string[] args, Dictionary<string, string> env)
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

    /// <summary>The nanoclr folder: <paramref name="given"/>, else ../shared/tools/nanoclr beside the repository; null when it holds no nanoCLR.</summary>
    public static string? FindTools(string repo, string? given)
    {
        string tools = given ?? Path.GetFullPath(Path.Combine(repo, "..", "shared", "tools", "nanoclr"));
        return File.Exists(Path.Combine(tools, "bin", "nanoclr")) ? tools : null;
    }

    /// <summary>
    /// The firmware .nfproj's compiled files, full paths: the portable shared/ files (listed as "..\..\shared\...")
    /// and, with <paramref name="withApp"/>, the firmware's App/ files (not Program.cs or Hardware/).
    /// </summary>
    public static IEnumerable<string> FirmwareSources(string repo, bool withApp)
    {
        string firmware = Path.Combine(repo, "firmware", "NanoFramework");
        return Regex.Matches(File.ReadAllText(Path.Combine(firmware, "Embedded.Firmware.nfproj")), "<Compile Include=\"([^\"]+)\"")
            .Select(m => m.Groups[1].Value.Replace('\\', Path.DirectorySeparatorChar))
            .Where(p => p.StartsWith("..", StringComparison.Ordinal) || (withApp && p.StartsWith("App", StringComparison.Ordinal)))
            .Select(p => Path.GetFullPath(Path.Combine(firmware, p)));
    }

    /// <summary>The folder holding Embedded.sln, searched upwards from the tool's own folder.</summary>
    public static string FindRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Embedded.sln"))) return dir.FullName;
        throw new InvalidOperationException("Embedded.sln not found above " + AppContext.BaseDirectory);
    }
}
