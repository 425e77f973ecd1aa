using Embedded.Shared.Kernels;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embedded.Accelerated;
using Embedded.Cli.Benchmarking;
using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Cli.Commands;

/// <summary>`bench`: how long one streaming step of a model takes here, on the portable and the accelerated kernel.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var path = new Argument<FileInfo>("model") { Description = "model.bin to time" };
        var steps = new Option<int>("--steps") { Description = "Steps per kernel per round", DefaultValueFactory = _ => 20000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds; each runs every kernel once, in alternating order", DefaultValueFactory = _ => 5 };
        var kernel = new Option<string>("--kernel") { Description = "portable, accelerated, both, or paths (portable and every accelerated path this machine has: widening, vector128, avx2, accelerated)", DefaultValueFactory = _ => "both" };
        var cpu = new Option<int?>("--cpu") { Description = "Pin the measuring thread (only) to this CPU, so the scheduler does not move it (Linux)" };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results to this JSON file" };
        kernel.AcceptOnlyFromAmong("portable", "accelerated", "both", "paths");
        steps.Validators.Add(r => { if (r.GetValue(steps) < 1) r.AddError("--steps must be at least 1"); });
        rounds.Validators.Add(r => { if (r.GetValue(rounds) < 1) r.AddError("--rounds must be at least 1"); });
        cpu.Between(0, int.MaxValue);

        var command = new Command("bench", "Time a model's streaming step (ns per step, latency percentiles, bytes allocated) on the portable and accelerated kernels");
        command.Arguments.Add(path);
        command.Options.Add(steps);
        command.Options.Add(rounds);
        command.Options.Add(kernel);
        command.Options.Add(cpu);
        command.Options.Add(json);
        command.SetAction(parseResult =>
        {
            var file = parseResult.GetValue(path)!;
            ModelImage model;
            try { model = ModelImage.Parse(File.ReadAllBytes(file.FullName)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"bench: cannot read {file.FullName}: {e.Message}");
                return 1;
            }
            catch (ModelFormatException e)
            {
                Console.Error.WriteLine($"bench: {file.FullName}: invalid model: {e.Message}");
                return 1;
            }
            int processors = Environment.ProcessorCount;
            int? pin = parseResult.GetValue(cpu);
            if (pin is { } c && !Pin(c)) return 1;

            string which = parseResult.GetValue(kernel)!;
            var kernels = new List<(string, Predictor)>();
            // The portable kernel as compiled code runs it (plain layers); `paths` adds the fused layers nanoFramework runs.
            if (which is "portable" or "both" or "paths") kernels.Add(("portable", new Predictor(model, PortableKernel.Compiled)));
            if (which is "paths")
            {
                kernels.Add(("portable-fused", new Predictor(model, PortableKernel.Instance)));
                // Every forced path side by side in one process (ratios hold on a loaded machine).
                kernels.Add(("widening", new Predictor(model, AcceleratedKernel.Widening)));
                kernels.Add(("vector128", new Predictor(model, AcceleratedKernel.Vector128Fused)));
                if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) kernels.Add(("avx2", new Predictor(model, AcceleratedKernel.Avx2Only)));
            }
            if (which is "accelerated" or "both" or "paths") kernels.Add(("accelerated", AcceleratedPredictor.Create(model)));
            var bench = new StepBenchmark(model);
            int stepCount = parseResult.GetValue(steps), roundCount = parseResult.GetValue(rounds);
            Console.WriteLine($"{file.FullName}: {model.Cell}, {model.LayerCount} layer(s) x {model.HiddenSize} hidden, int{model.WeightBits} weights, " +
                $"{model.InputCount} input(s), {model.OutputCount} output(s)");
            Console.WriteLine($"{roundCount} rounds x {stepCount} steps per kernel, interleaved; inputs: " +
                (bench.UsesGoldenInputs ? $"the model's {model.GoldenVectorCount} golden rows, cycled" : "zeros (the model has no golden vectors)") +
                $"; {processors} CPU(s){(pin is { } p ? $", measuring thread pinned to CPU {p}" : "")}");
            if (which != "portable") Console.WriteLine($"accelerated kernel: {AcceleratedKernel.Implementation}");
            if (processors == 1 && TieringMayStall())
            {
                Console.WriteLine("note: this process may use one CPU only. With tiered compilation's defaults its optimised code then may not arrive within " +
                    "the run (measured 1.5-3.5x slower, BENCHMARKS.md); set DOTNET_TieredCompilation=0 or DOTNET_TC_CallCountingDelayMs=0, or pin only the " +
                    "measuring thread with --cpu");
            }
            StepTiming[] results = bench.Run(kernels, stepCount, roundCount);
            Print(results);
            if (parseResult.GetValue(json) is { } jsonFile)
            {
                try { File.WriteAllText(jsonFile.FullName, ToJson(file.FullName, model, results)); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"bench: cannot write {jsonFile.FullName}: {e.Message}");
                    return 1;
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>Whether tiered compilation runs with its default call-counting delay (neither switched off nor the delay set to 0).</summary>
    private static bool TieringMayStall()
    {
        static bool Zero(string name) =>
            Environment.GetEnvironmentVariable("DOTNET_" + name) == "0" || Environment.GetEnvironmentVariable("COMPlus_" + name) == "0";
        if (AppContext.GetData("System.Runtime.TieredCompilation") is bool tiered && !tiered) return false;
        return !Zero("TieredCompilation") && !Zero("TC_CallCountingDelayMs");
    }

    private static bool Pin(int cpu)
    {
        if (cpu < 0 || cpu >= Environment.ProcessorCount || cpu >= 64)
        {
            Console.Error.WriteLine($"bench: --cpu {cpu}: this machine has CPUs 0 to {Math.Min(Environment.ProcessorCount, 64) - 1}");
            return false;
        }
        // Linux only: there this sets the affinity of the main thread alone (sched_setaffinity on the process id),
        // the one that measures, and leaves the runtime's background compiler free. On Windows it would pin the
        // whole process, which can keep the optimised code from arriving (BENCHMARKS.md, session 12).
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("bench: --cpu is supported on Linux only");
            return false;
        }
        Process.GetCurrentProcess().ProcessorAffinity = (nint)(1L << cpu);
        return true;
    }

    private static void Print(StepTiming[] results)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{"kernel",-12} {"ns/step",10} {"rounds",19} {"p50",9} {"p99",9} {"p99.9",9} {"max",10} {"batch",6} {"alloc B/step",13}");
        foreach (var r in results)
        {
            string range = string.Format(inv, "{0:N0}-{1:N0}", r.RoundNsPerStep.Min(), r.RoundNsPerStep.Max());
            Console.WriteLine(string.Format(inv, "{0,-12} {1,10:N0} {2,19} {3,9:N0} {4,9:N0} {5,9:N0} {6,10:N0} {7,6} {8,13:0.##}",
                r.Kernel, r.MedianNsPerStep, range, r.P50, r.P99, r.P999, r.Max, r.BatchSteps, r.AllocatedBytesPerStep));
        }
        if (results.Length == 2)
        {
            double[] ratios = results[1].RoundNsPerStep.Zip(results[0].RoundNsPerStep, (a, p) => a / p).Order().ToArray();
            Console.WriteLine(string.Format(inv, "{0} / {1}: {2:0.000}x (per round {3:0.000}-{4:0.000}x)",
                results[1].Kernel, results[0].Kernel, results[1].MedianNsPerStep / results[0].MedianNsPerStep, ratios[0], ratios[^1]));
        }
        Console.WriteLine("percentiles are of the mean step within a batch of that many steps (timed as one, for the clock's resolution)");
    }

    private static string ToJson(string path, ModelImage model, StepTiming[] results) =>
        JsonSerializer.Serialize(new
        {
            model = path,
            cell = model.Cell.ToString(),
            layers = model.LayerCount,
            hidden = model.HiddenSize,
            weight_bits = model.WeightBits,
            kernels = results.Select(r => new
            {
                kernel = r.Kernel,
                ns_per_step = r.MedianNsPerStep,
                rounds_ns_per_step = r.RoundNsPerStep,
                batch_steps = r.BatchSteps,
                p50 = r.P50,
                p99 = r.P99,
                p999 = r.P999,
                max = r.Max,
                allocated_bytes_per_step = r.AllocatedBytesPerStep,
            }),
        }, new JsonSerializerOptions { WriteIndented = true });
}
