using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Embedded.Edge.Tests.Support;

/// <summary>A connected pseudo-terminal pair made by socat (null when socat is not installed).</summary>
internal sealed class PtyPair : IDisposable
{
    private readonly Process _socat;

    private PtyPair(Process socat, string a, string b)
    {
        _socat = socat;
        PortA = a;
        PortB = b;
    }

    public string PortA { get; }
    public string PortB { get; }

    public static string? FindSocat() =>
        new[] { "/usr/bin/socat", "/usr/local/bin/socat", "/bin/socat" }.FirstOrDefault(File.Exists);

    public static PtyPair Start()
    {
        string socat = FindSocat() ?? throw new InvalidOperationException("socat not installed");
        var process = Process.Start(new ProcessStartInfo(socat, "-d -d pty,raw,echo=0 pty,raw,echo=0") { RedirectStandardError = true, UseShellExecute = false })!;
        var ptys = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ptys.Count < 2 && DateTime.UtcNow < deadline)
        {
            string? line = process.StandardError.ReadLine();
            if (line is null) break;
            Match m = Regex.Match(line, @"PTY is (\S+)");
            if (m.Success) ptys.Add(m.Groups[1].Value);
        }

        if (ptys.Count < 2)
        {
            process.Kill();
            throw new InvalidOperationException("socat did not report two PTYs");
        }

        // Keep draining socat's stderr so it never blocks on a full pipe.
        _ = Task.Run(() => process.StandardError.ReadToEnd());
        return new PtyPair(process, ptys[0], ptys[1]);
    }

    public void Dispose()
    {
        try
        {
            if (!_socat.HasExited) _socat.Kill();
            _socat.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _socat.Dispose();
    }
}
