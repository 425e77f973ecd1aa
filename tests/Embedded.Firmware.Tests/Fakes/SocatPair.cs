using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>A connected pair of pseudo-terminals made by socat; null when socat is not installed.</summary>
internal sealed partial class SocatPair : IDisposable
{
    private readonly Process _process;

    private SocatPair(Process process, string first, string second)
    {
        _process = process;
        First = first;
        Second = second;
    }

    public string First { get; }
    public string Second { get; }

    public static string? SocatPath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "socat"))) return Path.Combine(dir, "socat");
        }
        return null;
    }

    public static SocatPair Start()
    {
        var psi = new ProcessStartInfo(SocatPath()!, "-d -d pty,raw,echo=0 pty,raw,echo=0")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(psi)!;
        var ptys = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ptys.Count < 2 && DateTime.UtcNow < deadline)
        {
            string? line = process.StandardError.ReadLine();
            if (line is null) break;
            var match = PtyLine().Match(line);
            if (match.Success) ptys.Add(match.Groups[1].Value);
        }
        if (ptys.Count < 2)
        {
            process.Kill();
            throw new InvalidOperationException("socat did not report two pseudo-terminals");
        }
        // Keep draining stderr so socat never blocks on a full pipe.
        var drain = new Thread(() =>
        {
            try
            {
                while (process.StandardError.ReadLine() is not null) { }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }) { IsBackground = true };
        drain.Start();
        return new SocatPair(process, ptys[0], ptys[1]);
    }

    [GeneratedRegex(@"PTY is (\S+)")]
    private static partial Regex PtyLine();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(2000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
