using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Embedded.MqttBench;

// mqtt-bench: replays N samples at --speed max through one or more embedded-edge builds with
// --mqtt-all-samples into a local mosquitto and counts, in a separate subscriber, what arrives.
// Builds alternate round by round in one run, so a loaded machine affects them alike.
//   dotnet run -c Release --project tools/mqtt-bench -- --model M.bin --samples 100000 --rounds 3 \
//       --build old=/tmp/edge-old/embedded-edge.dll --build new=firmware/RaspberryPi/bin/Release/net10.0/embedded-edge.dll \
//       [--qos 0|1 (the app's --mqtt-qos)] [--subscriber-qos 0|1 (default 1)]
var builds = new List<(string Name, string Dll)>();
string? model = null;
int samples = 100_000, rounds = 3;
string? qos = null;
string mosquitto = "/usr/sbin/mosquitto";
var subscriberQos = MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--model": model = Next(); break;
        case "--samples": samples = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--qos": qos = Next(); break;
        case "--mosquitto": mosquitto = Next(); break;
        case "--subscriber-qos": subscriberQos = (MQTTnet.Protocol.MqttQualityOfServiceLevel)int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--build":
            string spec = Next();
            int eq = spec.IndexOf('=');
            builds.Add(eq > 0 ? (spec[..eq], spec[(eq + 1)..]) : (Path.GetFileName(Path.GetDirectoryName(spec)) ?? spec, spec));
            break;
        default:
            Console.Error.WriteLine($"mqtt-bench: unknown argument '{args[i]}'");
            return 2;
    }
}

if (model is null || builds.Count == 0)
{
    Console.Error.WriteLine("usage: mqtt-bench --model MODEL.bin --build NAME=path/embedded-edge.dll [--build ...] [--samples N] [--rounds R] [--qos 0|1]");
    return 2;
}

string dir = Directory.CreateTempSubdirectory("mqtt-bench-").FullName;
string csv = Path.Combine(dir, "series.csv");
using (var w = new StreamWriter(csv))
{
    w.WriteLine("timestamp,value");
    for (int t = 0; t < samples; t++) w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t},{Math.Sin(t * 0.05):0.####}"));
}

int port = FreePort();
// Unlimited queue and in-flight window towards the subscriber: mosquitto 2.0 neither drops for a subscriber
// that falls behind nor slows down walking a long per-client queue, so the figures are the app's.
File.WriteAllText(Path.Combine(dir, "mosquitto.conf"), $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\nuser root\n");
using Process broker = Process.Start(new ProcessStartInfo(mosquitto, $"-c {dir}/mosquitto.conf") { UseShellExecute = false, RedirectStandardError = true })!;
_ = broker.StandardError.ReadToEndAsync();
await Task.Delay(500);
try
{
    await using var subscriber = new CountingSubscriber();
    await subscriber.ConnectAsync(port);
    Console.WriteLine($"mosquitto on 127.0.0.1:{port}; {samples} samples per run, --speed max, --mqtt-all-samples{(qos is null ? "" : ", --mqtt-qos " + qos)}, subscriber QoS {(int)subscriberQos}, {rounds} round(s)");
    Console.WriteLine("| round | build | published by the app | arrived (distinct) | lost | out of order | app wall s | acked msg/s (app) | arrivals msg/s (first->last) | samples/s (wall) | app CPU µs/sample |");
    Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int round = 1; round <= rounds; round++)
    {
        foreach ((string name, string dll) in builds)
        {
            string topic = $"bench/r{round}-{name}";
            await subscriber.WatchAsync(topic + "/events", subscriberQos);
            // /usr/bin/time gives the app's CPU time (user + system): CPU per message holds up on a loaded machine where wall time does not.
            var psi = new ProcessStartInfo("/usr/bin/time") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in new[] { "-f", "app-cpu %U %S", "dotnet", dll, "--model", model, "--source", "csv:" + csv, "--speed", "max", "--output", "none", "--mqtt-host", "127.0.0.1",
                         "--mqtt-port", port.ToString(CultureInfo.InvariantCulture), "--mqtt-topic", topic, "--mqtt-all-samples", "--mqtt-client-id", "bench-" + name })
                psi.ArgumentList.Add(a);
            if (qos is not null)
            {
                psi.ArgumentList.Add("--mqtt-qos");
                psi.ArgumentList.Add(qos);
            }

            var wall = Stopwatch.StartNew();
            using Process app = Process.Start(psi)!;
            Task<string> err = app.StandardError.ReadToEndAsync();
            _ = app.StandardOutput.ReadToEndAsync();
            await app.WaitForExitAsync();
            wall.Stop();
            // Let stragglers the broker still holds arrive: done when nothing new came for 2 s.
            while (subscriber.Distinct < samples && Stopwatch.GetElapsedTime(subscriber.LastArrivalTicks) < TimeSpan.FromSeconds(2)) await Task.Delay(100);
            string log = await err;
            string published = log.Split('\n').FirstOrDefault(l => l.Contains("stopped:", StringComparison.Ordinal)) is { } stop && stop.Contains("mqtt:", StringComparison.Ordinal)
                ? stop[(stop.IndexOf("mqtt:", StringComparison.Ordinal) + 6)..].Split(',')[0].Replace(" messages delivered", "", StringComparison.Ordinal)
                : "-";
            // The new app's drain line: "... acknowledged in S s (R msg/s)."
            string acked = log.Split('\n').FirstOrDefault(l => l.Contains(" msg/s)", StringComparison.Ordinal)) is { } drain
                ? drain[(drain.LastIndexOf('(') + 1)..drain.LastIndexOf(" msg/s)", StringComparison.Ordinal)]
                : "-";
            string cpu = log.Split('\n').LastOrDefault(l => l.StartsWith("app-cpu ", StringComparison.Ordinal)) is { } c
                ? (c.Split(' ').Skip(1).Sum(x => double.Parse(x, CultureInfo.InvariantCulture)) * 1e6 / samples).ToString("0.0", CultureInfo.InvariantCulture)
                : "-";
            long arrived = subscriber.Distinct;
            double span = subscriber.Span.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {round} | {name} | {published} | {arrived} | {samples - arrived} ({100.0 * (samples - arrived) / samples:0.#} %) | {subscriber.OutOfOrder} | {wall.Elapsed.TotalSeconds:0.00} | {acked} | {(span > 0 ? subscriber.Messages / span : 0):0} | {samples / wall.Elapsed.TotalSeconds:0} | {cpu} |"));
            if (app.ExitCode != 0) Console.WriteLine($"  {name} exited {app.ExitCode}: {log.Trim().Split('\n').LastOrDefault()}");
        }
    }
}
finally
{
    broker.Kill();
    Directory.Delete(dir, recursive: true);
}

return 0;

static int FreePort()
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    int port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}
