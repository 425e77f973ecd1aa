using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Embedded.Edge.Tests.Support;

/// <summary>
/// A real mosquitto on 127.0.0.1 and a free port, with persistence in a temp folder so a persistent
/// subscriber session survives a broker restart. Stopped with SIGTERM (so it saves its state).
/// </summary>
internal sealed class MosquittoBroker : IDisposable
{
    private readonly string _config;
    private Process? _process;

    public MosquittoBroker()
    {
        Port = FreePort();
        Folder = Embedded.Tests.Common.TestPaths.NewTempDir();
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Folder, (UnixFileMode)0b111_111_111);
        _config = Path.Combine(Folder, "mosquitto.conf");
        File.WriteAllText(_config, string.Join('\n',
            $"listener {Port} 127.0.0.1",
            "allow_anonymous true",
            "persistence true",
            $"persistence_location {Folder}/",
            $"log_dest file {Folder}/mosquitto.log",
            "user root",
            "") );
    }

    public int Port { get; }

    public string Folder { get; }

    public static string? FindExecutable() =>
        new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto", "/usr/local/bin/mosquitto" }.FirstOrDefault(File.Exists);

    public void Start()
    {
        string exe = FindExecutable() ?? throw new InvalidOperationException("mosquitto is not installed");
        _process = Process.Start(new ProcessStartInfo(exe, $"-c {_config}") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        _ = Task.Run(() => _process.StandardError.ReadToEnd());
        _ = Task.Run(() => _process.StandardOutput.ReadToEnd());
        if (!Wait.Until(CanConnect))
            throw new InvalidOperationException("mosquitto did not start listening: " + Log());
    }

    /// <summary>SIGTERM and wait, like systemd stopping it.</summary>
    public void Stop()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {_process.Id}") { UseShellExecute = false })) kill?.WaitForExit(5000);
            if (!_process.WaitForExit(10000)) _process.Kill();
        }

        _process.Dispose();
        _process = null;
    }

    public string Log()
    {
        string path = Path.Combine(Folder, "mosquitto.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }

    public void Dispose() => Stop();

    private bool CanConnect()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
