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

    /// <param name="tlsUser">When given (user, password): a TLS listener with a self-signed certificate and password authentication.</param>
    public MosquittoBroker((string User, string Password)? tlsUser = null)
    {
        Port = FreePort();
        Folder = Embedded.Tests.Common.TestPaths.NewTempDir();
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Folder, (UnixFileMode)0b111_111_111);
        _config = Path.Combine(Folder, "mosquitto.conf");
        var security = new List<string> { "allow_anonymous true" };
        if (tlsUser is { } login)
        {
            Run("openssl", $"req -x509 -newkey rsa:2048 -nodes -keyout {Folder}/key.pem -out {Folder}/cert.pem -days 1 -subj /CN=localhost");
            Run("mosquitto_passwd", $"-b -c {Folder}/passwd {login.User} {login.Password}");
            security = ["allow_anonymous false", $"password_file {Folder}/passwd", $"certfile {Folder}/cert.pem", $"keyfile {Folder}/key.pem"];
        }

        File.WriteAllText(_config, string.Join('\n',
            $"listener {Port} 127.0.0.1",
            string.Join('\n', security),
            "persistence true",
            // The broker's own queue per subscriber (default 1000 beyond 20 in flight) drops QoS 1 messages
            // silently when a subscriber falls behind: unlimited, so the tests see only what the app loses.
            "max_queued_messages 0",
            $"persistence_location {Folder}/",
            $"log_dest file {Folder}/mosquitto.log",
            "user root",
            "") );
    }

    public int Port { get; }

    public string Folder { get; }

    /// <summary>Whether openssl and mosquitto_passwd are there to set up a TLS broker.</summary>
    public static bool CanDoTls() => File.Exists("/usr/bin/openssl") && File.Exists("/usr/bin/mosquitto_passwd");

    private static void Run(string exe, string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(exe, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
        _ = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed: {err}");
    }

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
