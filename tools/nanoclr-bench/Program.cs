using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

using Embedded.NanoClrTools;

namespace Embedded.NanoClrBench;

/// <summary>
/// Steps per second on nanoCLR, the real nanoFramework interpreter (POSIX host in ../shared/tools/nanoclr):
/// NanoProgram/ + the .nfproj's shared/ sources are compiled once (check.sh → build-pe.sh); each case runs
/// with 0 steps and with N steps under `/usr/bin/time -f %U` (user CPU time of the interpreter process),
/// and steps/s = N / (t_N − t_0). N is calibrated so a run takes about --seconds of CPU; each figure is the
/// best of --repeat runs (the least disturbed by other processes on a shared machine). --baseline DIR builds a
/// second program from another checkout's sources (e.g. `git archive COMMIT shared firmware/NanoFramework Embedded.sln`
/// unpacked in DIR) and runs the two alternately, so a before/after comparison sees the same machine load;
/// --cases 2,3 runs only those cases (the bare unrolled loop and LSTM 3→16 always run: the % columns need them).
///
///   dotnet run -c Release --project tools/nanoclr-bench [-- --seconds 2 --repeat 3 --esp32-factor 30 --tools DIR --baseline DIR --cases LIST]
/// </summary>
public static class Program
{
    private sealed record Case(int Id, string Name, int Macs, string Kind);

    public static int Main(string[] args)
    {
        double seconds = 2;
        int repeat = 3;
        double esp32Factor = 30;
        string? tools = null;
        string? baseline = null;
        HashSet<int>? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--esp32-factor": esp32Factor = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tools": tools = args[++i]; break;
                case "--baseline": baseline = Path.GetFullPath(args[++i]); break;
                case "--cases": only = args[++i].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToHashSet(); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}\nusage: embedded-nanoclr-bench [--seconds S] [--repeat N] [--esp32-factor F] [--tools DIR] [--baseline DIR] [--cases 1,2,...]"); return 2;
            }
        }
        string repo = NanoClrToolchain.FindRepo();
        if (NanoClrToolchain.FindTools(repo, tools) is not string found)
        {
            Console.Error.WriteLine($"nanoCLR not found in {tools ?? "../shared/tools/nanoclr"}");
            return 2;
        }
        tools = found;

        var models = new (string Method, CellType Cell, int Bits, int Inputs, int Hidden)[]
        {
            ("Gru1x16Int16", CellType.Gru, 16, 1, 16),
            ("Lstm3x16Int16", CellType.Lstm, 16, 3, 16),
            ("Lstm3x16Int8", CellType.Lstm, 8, 3, 16),
            ("Lstm8x32Int16", CellType.Lstm, 16, 8, 32),
            ("Lstm8x32Int8", CellType.Lstm, 8, 8, 32),
        };
        int bare = 64 * 32;
        var cases = new List<Case>
        {
            new(0, "bare int8×int16 loop, plain (64×32)", bare, "bare"),
            new(1, "bare int8×int16 loop, unrolled 4 rows × 2 cols (64×32)", bare, "bare"),
            new(2, "GRU 1→16 int16 `Predictor.Step`", Macs(CellType.Gru, 1, 16), "step"),
            new(3, "LSTM 3→16 int16 `Predictor.Step`", Macs(CellType.Lstm, 3, 16), "step"),
            new(4, "LSTM 3→16 int8 (packed) `Predictor.Step`", Macs(CellType.Lstm, 3, 16), "step"),
            new(5, "LSTM 8→32 int16 `Predictor.Step`", Macs(CellType.Lstm, 8, 32), "step"),
            new(6, "LSTM 8→32 int8 (packed) `Predictor.Step`", Macs(CellType.Lstm, 8, 32), "step"),
            new(7, "detector v7, 1 channel `AnomalyDetector.Update`", 0, "detector"),
            new(8, "detector v7, 3 channels `AnomalyDetector.Update`", 0, "detector"),
            new(9, "LSTM 3→16 int16 `StreamMonitor.Step` (normalise + predict + detect)", Macs(CellType.Lstm, 3, 16), "monitor"),
        };

        if (only != null)
        {
            only.Add(1);
            only.Add(3);
            cases = cases.Where(c => only.Contains(c.Id)).ToList();
        }

        string work = Path.Combine(Path.GetTempPath(), "nanoclr-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            var clock = Stopwatch.StartNew();
            string modelSource = Path.Combine(work, "BenchModels.cs");
            File.WriteAllText(modelSource, ModelsSource(models.Select(m => (m.Method, Quantize(m.Cell, m.Bits, m.Inputs, m.Hidden, 11 + m.Hidden + m.Inputs))).ToList()));

            // The case assembly: one class whose methods (not constants, so nothing is inlined) name the case and
            // the step count. The program is compiled against a first copy; each run swaps in its own .pe.
            // With --baseline, a second program is built from another checkout's sources (same bench program and
            // models) and the two are run alternately, so both see the same machine load.
            string caseDll = BuildCase(tools, work, 0, 0);
            var variants = new List<(string Name, string Pe)>();
            foreach (var (name, root) in baseline == null ? new[] { ("this tree", repo) } : new[] { ("this tree", repo), ("baseline", baseline) })
            {
                var sources = new List<string>(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "NanoProgram"), "*.cs").Order(StringComparer.Ordinal));
                sources.Add(modelSource);
                sources.AddRange(NanoClrToolchain.FirmwareSources(root, withApp: false));
                string tag = variants.Count.ToString(CultureInfo.InvariantCulture);
                string exe = Path.Combine(work, "bench" + tag + ".exe");
                string pe = Path.Combine(work, "bench" + tag + ".pe");
                NanoClrToolchain.Tool(tools, "check.sh", ["-r", caseDll, "-o", exe, .. sources], new() { ["NFCHECK_TARGET"] = "exe" });
                NanoClrToolchain.Tool(tools, "build-pe.sh", [exe, pe, Path.Combine(tools, "refs", "mscorlib.dll"), caseDll], []);
                variants.Add((name, pe));
                Console.Error.WriteLine($"built {name}: {sources.Count} files ({root}) in {clock.ElapsedMilliseconds} ms");
            }

            string cpu = CpuName();
            var results = variants.Select(_ => new Dictionary<int, (double StepsPerSecond, double Startup, int Steps)>()).ToList();
            foreach (var c in cases)
            {
                // Calibrate on a short run, then the measured runs, the variants alternating.
                string pe0 = variants[0].Pe;
                int n = c.Kind == "detector" ? 20000 : c.Kind == "bare" ? 2000 : 500;
                double probe = Cpu(tools, work, pe0, c.Id, n, out _) - Cpu(tools, work, pe0, c.Id, 0, out _);
                int steps = (int)Math.Clamp(n * seconds / Math.Max(probe, 0.02), 100, 5_000_000);
                var zero = variants.Select(_ => double.MaxValue).ToArray();
                var best = variants.Select(_ => double.MaxValue).ToArray();
                for (int r = 0; r < repeat; r++)
                {
                    for (int v = 0; v < variants.Count; v++)
                    {
                        zero[v] = Math.Min(zero[v], Cpu(tools, work, variants[v].Pe, c.Id, 0, out _));
                        best[v] = Math.Min(best[v], Cpu(tools, work, variants[v].Pe, c.Id, steps, out _));
                    }
                }
                for (int v = 0; v < variants.Count; v++)
                {
                    double rate = steps / Math.Max(best[v] - zero[v], 1e-3);
                    results[v][c.Id] = (rate, zero[v], steps);
                    Console.Error.WriteLine($"case {c.Id} ({variants[v].Name}): {steps} steps, {best[v]:F2} s − {zero[v]:F2} s start-up → {rate:F0} steps/s");
                }
            }

            var s = new StringBuilder();
            for (int v = 0; v < variants.Count; v++)
            {
                if (variants.Count > 1) s.AppendLine($"**{variants[v].Name}**" + (v == 0 ? "" : $" ({baseline})")).AppendLine();
                Table(s, cases, results[v], bare, cpu, repeat, esp32Factor);
            }
            if (variants.Count > 1)
            {
                s.AppendLine("| case | steps/s this tree ÷ baseline (same run, alternating) |");
                s.AppendLine("| --- | ---: |");
                foreach (var c in cases)
                    s.AppendLine($"| {c.Name} | {results[0][c.Id].StepsPerSecond / results[1][c.Id].StepsPerSecond:F2} |");
            }
            Console.Write(s.ToString());
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Table(StringBuilder s, List<Case> cases, Dictionary<int, (double StepsPerSecond, double Startup, int Steps)> results, int bare, string cpu, int repeat, double esp32Factor)
    {
        double unrolledMacs = results[1].StepsPerSecond * bare;
        double plainMacs = results.TryGetValue(0, out var p) ? p.StepsPerSecond * bare : double.NaN;
        double step3x16 = 1 / results[3].StepsPerSecond;
        s.AppendLine($"nanoCLR (POSIX host, ../shared/tools/nanoclr) on {cpu}; user CPU time, start-up (a 0-step run) subtracted, best of {repeat}; ESP32 projection = host ÷ {esp32Factor.ToString(CultureInfo.InvariantCulture)}");
        s.AppendLine();
        s.AppendLine("| case | MACs / step | steps/s (host) | M MAC/s | % of plain loop | % of unrolled loop | µs / step (host) | projected ESP32 steps/s |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in cases)
        {
            var r = results[c.Id];
            string macs = c.Macs > 0 ? c.Macs.ToString("N0", CultureInfo.InvariantCulture) : "–";
            string mmacs = c.Macs > 0 ? (r.StepsPerSecond * c.Macs / 1e6).ToString("F2", CultureInfo.InvariantCulture) : "–";
            string plain = c.Macs > 0 && !double.IsNaN(plainMacs) ? (100 * r.StepsPerSecond * c.Macs / plainMacs).ToString("F0", CultureInfo.InvariantCulture) + " %" : "–";
            string unrolled = c.Macs > 0 ? (100 * r.StepsPerSecond * c.Macs / unrolledMacs).ToString("F0", CultureInfo.InvariantCulture) + " %" : "–";
            if (c.Kind == "detector") unrolled = (100 * (1 / r.StepsPerSecond) / step3x16).ToString("F1", CultureInfo.InvariantCulture) + " % of a 3→16 step";
            s.AppendLine($"| {c.Name} | {macs} | {r.StepsPerSecond:F0} | {mmacs} | {plain} | {unrolled} | {1e6 / r.StepsPerSecond:F1} | {r.StepsPerSecond / esp32Factor:F0} |");
        }
        s.AppendLine();
        s.AppendLine($"start-up (0-step run, user CPU s, 10 ms resolution): {string.Join(", ", cases.Select(c => c.Id + ": " + results[c.Id].Startup.ToString("F2", CultureInfo.InvariantCulture)))}");
        s.AppendLine();
    }

    /// <summary>G·H·I + G·H·H + O·H with O = I (the model forecasts its own inputs).</summary>
    private static int Macs(CellType cell, int inputs, int hidden)
    {
        int gates = cell == CellType.Lstm ? 4 : cell == CellType.Gru ? 3 : 1;
        return gates * hidden * inputs + gates * hidden * hidden + inputs * hidden;
    }

    private static byte[] Quantize(CellType cell, int bits, int inputs, int hidden, int seed)
    {
        var model = RandomFloatModel.Create(cell, inputs, hidden, 1, inputs, seed, TaskKind.Forecast);
        var rows = RandomFloatModel.Rows(model, 300, seed + 100);
        var image = Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = bits }).Image;
        if (ModelImage.Parse(image).DetectorSection.Length == 0) throw new InvalidOperationException($"{cell} {inputs}x{hidden}: no detector section");
        return image;
    }

    private static string ModelsSource(List<(string Method, byte[] Image)> models)
    {
        var s = new StringBuilder();
        s.AppendLine("// <auto-generated> by tools/nanoclr-bench </auto-generated>");
        s.AppendLine("namespace Embedded.NanoBench\n{\n    public static class BenchModels\n    {");
        foreach (var (method, image) in models)
        {
            s.Append("        public static byte[] ").Append(method).Append("()\n        {\n            return new byte[] {");
            for (int i = 0; i < image.Length; i++)
            {
                if (i % 32 == 0) s.Append("\n                ");
                s.Append(image[i]).Append(',');
            }
            s.AppendLine("\n            };\n        }");
        }
        s.AppendLine("    }\n}");
        return s.ToString();
    }

    private static readonly Dictionary<(int, int), string> CasePes = [];

    private static string BuildCase(string tools, string work, int id, int steps)
    {
        string dir = Path.Combine(work, $"case-{id}-{steps}");
        Directory.CreateDirectory(dir);
        string cs = Path.Combine(dir, "BenchCase.cs");
        File.WriteAllText(cs, "namespace Embedded.NanoBench\n{\n    public static class BenchCase\n    {\n"
            + $"        public static int Case() {{ return {id}; }}\n        public static int Steps() {{ return {steps}; }}\n    }}\n}}\n");
        string dll = Path.Combine(dir, "BenchCase.dll");
        NanoClrToolchain.Tool(tools, "check.sh", ["-o", dll, cs], []);
        return dll;
    }

    private static string CasePe(string tools, string work, int id, int steps)
    {
        if (CasePes.TryGetValue((id, steps), out var pe)) return pe;
        string dll = BuildCase(tools, work, id, steps);
        pe = Path.ChangeExtension(dll, ".pe");
        NanoClrToolchain.Tool(tools, "build-pe.sh", [dll, pe, Path.Combine(tools, "refs", "mscorlib.dll")], []);
        CasePes[(id, steps)] = pe;
        return pe;
    }

    /// <summary>User CPU seconds of one nanoCLR run (mscorlib, the case, the program); checks its output.</summary>
    private static double Cpu(string tools, string work, string pe, int id, int steps, out string output)
    {
        string casePe = CasePe(tools, work, id, steps);
        var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "CPU %U", Path.Combine(tools, "bin", "nanoclr"), Path.Combine(tools, "pe", "mscorlib.pe"), casePe, pe }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string err = stderr.Result;
        var m = Regex.Match(err, @"CPU (\d+\.\d+)\s*$");
        if (!m.Success || !output.Contains($"CHECK {id} {steps} ", StringComparison.Ordinal) || !output.Contains("END", StringComparison.Ordinal))
            throw new InvalidOperationException($"case {id} with {steps} steps failed:\n{output[Math.Max(0, output.Length - 3000)..]}\n{err}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line == null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { return "unknown CPU"; }
    }
}
