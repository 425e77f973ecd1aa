using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

using Embedded.NanoClrTools;

namespace Embedded.NanoClrRam;

/// <summary>
/// The firmware's managed heap on nanoCLR, the real nanoFramework interpreter (POSIX host in ../shared/tools/nanoclr).
/// nanoCLR gives its managed heap a fixed size (10 MiB on that host, the immediate in HeapLocation); a copy of the
/// host with that size patched runs NanoProgram/RamProgram in three modes (fixtures only; + boot and sampling; +
/// a model update), and a binary search finds the smallest heap at which each mode still completes. nanoCLR
/// collects and compacts before it throws OutOfMemoryException, so that size is the mode's peak live heap (plus
/// what fragmentation costs). Boot = mode 1 − mode 0, update = mode 2 − mode 0; mode 4 (nothing at all) gives
/// nanoCLR's own heap. --model N runs one update model only; --modes 4 adds mode 3, a control (boot and as long a
/// run as mode 2 without the update: the heap must not grow with time).
///
///   dotnet run -c Release --project tools/nanoclr-ram [-- --step 1024 --tools DIR --model N --modes 3|4]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? tools = null;
        int step = 1024;
        int onlyModel = -1;
        int modes = 3;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tools": tools = args[++i]; break;
                case "--model": onlyModel = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--modes": modes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--step": step = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}\nusage: embedded-nanoclr-ram [--step BYTES] [--tools DIR] [--model N] [--modes 3|4]"); return 2;
            }
        }
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("nanoCLR's POSIX host runs on Linux only");
            return 2;
        }
        string repo = NanoClrToolchain.FindRepo();
        if (NanoClrToolchain.FindTools(repo, tools) is not string found)
        {
            Console.Error.WriteLine($"nanoCLR not found in {tools ?? "../shared/tools/nanoclr"}");
            return 2;
        }
        tools = found;

        // Update models: the bit-exact test's small GRU, the benchmark shapes, and models near MaxModelSize (64 KB).
        var models = new (string Name, CellType Cell, int Bits, int Inputs, int Hidden)[]
        {
            ("GRU 1→8 int16", CellType.Gru, 16, 1, 8),
            ("LSTM 8→32 int8", CellType.Lstm, 8, 8, 32),
            ("LSTM 8→32 int16", CellType.Lstm, 16, 8, 32),
            ("LSTM 8→64 int16", CellType.Lstm, 16, 8, 64),
            ("LSTM 8→80 int16", CellType.Lstm, 16, 8, 80),
            ("LSTM 8→112 int8", CellType.Lstm, 8, 8, 112),
        };

        string work = Path.Combine(Path.GetTempPath(), "nanoclr-ram-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            // The patched host: bin/nanoclr loads $ORIGIN/../lib/nanoFramework.nanoCLR.so.
            string clrDir = Path.Combine(work, "clr");
            Directory.CreateDirectory(Path.Combine(clrDir, "bin"));
            Directory.CreateDirectory(Path.Combine(clrDir, "lib"));
            File.Copy(Path.Combine(tools, "bin", "nanoclr"), Path.Combine(clrDir, "bin", "nanoclr"));
            File.SetUnixFileMode(Path.Combine(clrDir, "bin", "nanoclr"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string so = Path.Combine(clrDir, "lib", "nanoFramework.nanoCLR.so");
            File.Copy(Path.Combine(tools, "lib", "nanoFramework.nanoCLR.so"), so);
            File.SetUnixFileMode(so, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            long heapImmediate = FindHeapSize(File.ReadAllBytes(so));

            var images = models.Select(m => Quantize(m.Cell, m.Bits, m.Inputs, m.Hidden, 5 + m.Hidden)).ToList();
            string caseDll = BuildCase(tools, work, 0, images[0], "probe");
            var sources = new List<string>(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "NanoProgram"), "*.cs").Order(StringComparer.Ordinal));
            string helpers = Path.Combine(repo, "tests", "Embedded.Portability.Tests", "NanoClrProgram");
            foreach (var name in new[] { "FakeAdc.cs", "FakeLed.cs", "Out.cs", "SimClock.cs" }) sources.Add(Path.Combine(helpers, name));
            sources.AddRange(NanoClrToolchain.FirmwareSources(repo, withApp: true));
            string exe = Path.Combine(work, "ram.exe");
            string pe = Path.Combine(work, "ram.pe");
            NanoClrToolchain.Tool(tools, "check.sh", ["-r", caseDll, "-o", exe, .. sources], new() { ["NFCHECK_TARGET"] = "exe" });
            NanoClrToolchain.Tool(tools, "build-pe.sh", [exe, pe, Path.Combine(tools, "refs", "mscorlib.dll"), caseDll], []);

            long runtime = Search(clrDir, so, tools, CasePe(tools, work, 4, images[0], "runtime"), pe, 4, step);
            Console.Error.WriteLine($"nanoCLR alone (mode 4): {runtime} bytes");
            var s = new StringBuilder();
            s.AppendLine($"nanoCLR (POSIX host, 64-bit, ../shared/tools/nanoclr) with its managed heap patched from {heapImmediate} bytes; smallest heap at which each mode completes, {step}-byte resolution");
            s.AppendLine();
            s.AppendLine($"nanoCLR alone (mscorlib, the program, its statics; no fixtures, no app): {runtime:N0} bytes");
            s.AppendLine();
            s.AppendLine("| update model | image bytes | fixtures only | boot + sampling | boot + update + sampling | boot (firmware heap) | peak during the update (firmware heap) | update − boot |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (int m = 0; m < models.Length; m++)
            {
                if (onlyModel >= 0 && m != onlyModel) continue;
                var heaps = new long[4];
                for (int mode = 0; mode < modes; mode++)
                {
                    string casePe = CasePe(tools, work, mode, images[m], $"m{m}-{mode}");
                    heaps[mode] = Search(clrDir, so, tools, casePe, pe, mode, step);
                    Console.Error.WriteLine($"{models[m].Name} ({images[m].Length} B) mode {mode}: {heaps[mode]} bytes");
                }
                long boot = heaps[1] - heaps[0];
                long update = heaps[2] - heaps[0];
                s.AppendLine($"| {models[m].Name} | {images[m].Length:N0} | {heaps[0]:N0} | {heaps[1]:N0} | {heaps[2]:N0} | {boot:N0} | {update:N0} | {update - boot:N0} |");
            }
            Console.Write(s.ToString().Replace(",", " ", StringComparison.Ordinal).Replace("|  ", "| ", StringComparison.Ordinal));
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>HeapLocation's "mov $size, %eax; mov %rcx, (%rbx)": the heap size it reports (10 MiB); returns its value.</summary>
    private static int HeapOffset = -1;

    private static long FindHeapSize(byte[] so)
    {
        byte[] pattern = [0xb8, 0x00, 0x00, 0xa0, 0x00, 0x48, 0x89, 0x0b];
        for (int i = 0; i + pattern.Length <= so.Length; i++)
        {
            if (so.AsSpan(i, pattern.Length).SequenceEqual(pattern))
            {
                HeapOffset = i + 1;
                return BitConverter.ToInt32(so, i + 1);
            }
        }
        throw new InvalidOperationException("HeapLocation's heap size (mov $0xa00000,%eax) not found in nanoFramework.nanoCLR.so");
    }

    /// <summary>Smallest heap (multiple of step) at which the mode completes.</summary>
    private static long Search(string clrDir, string so, string tools, string casePe, string pe, int mode, int step)
    {
        long low = 0, high = 4L << 20;   // low fails (by assumption), high must succeed
        if (!Completes(clrDir, so, tools, casePe, pe, mode, high)) throw new InvalidOperationException($"mode {mode} fails even with a {high}-byte heap");
        while (high - low > step)
        {
            long mid = (low + high) / 2 / step * step;
            if (mid <= low) mid = low + step;
            if (Completes(clrDir, so, tools, casePe, pe, mode, mid)) high = mid; else low = mid;
        }
        return high;
    }

    private static bool Completes(string clrDir, string so, string tools, string casePe, string pe, int mode, long heap)
    {
        using (var f = new FileStream(so, FileMode.Open, FileAccess.Write))
        {
            f.Position = HeapOffset;
            f.Write(BitConverter.GetBytes((int)heap));
        }
        var info = new ProcessStartInfo("timeout") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "120", Path.Combine(clrDir, "bin", "nanoclr"), Path.Combine(tools, "pe", "mscorlib.pe"), casePe, pe }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        bool ok = output.Contains("\nEND", StringComparison.Ordinal) && !output.Contains("EXCEPTION", StringComparison.Ordinal);
        if (ok && mode >= 1 && mode <= 3) ok = output.Contains("BOOT samples=", StringComparison.Ordinal);
        if (ok && mode == 4) ok = !output.Contains("FIXTURES", StringComparison.Ordinal);
        if (ok && mode == 3) ok = output.Contains("UPDATED samples=", StringComparison.Ordinal);
        if (ok && mode == 2) ok = output.Contains("FLASH state=5 failure=0", StringComparison.Ordinal) && Regex.IsMatch(output, @"UPDATED samples=\d+ source=flash");
        return ok;
    }

    private static byte[] Quantize(CellType cell, int bits, int inputs, int hidden, int seed)
    {
        var model = RandomFloatModel.Create(cell, inputs, hidden, 1, inputs, seed, TaskKind.Forecast);
        var rows = RandomFloatModel.Rows(model, 200, seed + 100);
        return Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = bits }).Image;
    }

    private static readonly Dictionary<string, string> CasePes = [];

    private static string BuildCase(string tools, string work, int mode, byte[] image, string tag)
    {
        string dir = Path.Combine(work, "case-" + tag);
        Directory.CreateDirectory(dir);
        string cs = Path.Combine(dir, "RamCase.cs");
        var s = new StringBuilder();
        s.Append("namespace Embedded.NanoRam\n{\n    public static class RamCase\n    {\n");
        s.Append($"        public static int Mode() {{ return {mode}; }}\n");
        s.Append("        public static byte[] Update()\n        {\n            return new byte[] {");
        for (int i = 0; i < image.Length; i++)
        {
            if (i % 32 == 0) s.Append("\n                ");
            s.Append(image[i]).Append(',');
        }
        s.Append("\n            };\n        }\n    }\n}\n");
        File.WriteAllText(cs, s.ToString());
        string dll = Path.Combine(dir, "RamCase.dll");
        NanoClrToolchain.Tool(tools, "check.sh", ["-o", dll, cs], []);
        return dll;
    }

    private static string CasePe(string tools, string work, int mode, byte[] image, string tag)
    {
        if (CasePes.TryGetValue(tag, out var pe)) return pe;
        string dll = BuildCase(tools, work, mode, image, tag);
        pe = Path.ChangeExtension(dll, ".pe");
        NanoClrToolchain.Tool(tools, "build-pe.sh", [dll, pe, Path.Combine(tools, "refs", "mscorlib.dll")], []);
        CasePes[tag] = pe;
        return pe;
    }
}
