using System.Diagnostics;
using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.KernelCheck;

/// <summary>
/// Runs the accelerated kernels' equality checks (the runtime tests' golden-vector, random-input and
/// extreme-format checks) on every kernel path this machine has, and prints one line per check.
///
///   embedded-kernel-check                 all checks; exit 0 when every path equals the portable kernel
///   embedded-kernel-check --write-model CELL BITS H FILE  writes a random I = 8 model (for `embedded bench`)
///   embedded-kernel-check --steps PATH N [CELL BITS H]  only N layer steps of one path (portable, widening,
///                                         vector128, vector256, best) on one I = 8 layer (default LSTM int8
///                                         H=32), after 3 warm-up steps: for instruction counts per step
///                                         (tools/kernel-check/arm64-instruction-count.sh)
/// </summary>
public static class Program
{
    private static readonly (string Name, IKernel Kernel)[] Kernels =
    [
        ("best", AcceleratedKernel.Instance),
        ("avx2only", AcceleratedKernel.Avx2Only),
        ("vector128", AcceleratedKernel.Vector128Fused),
        ("widening", AcceleratedKernel.Widening),
    ];

    public static int Main(string[] args)
    {
        if ((args.Length == 3 || args.Length == 6) && args[0] == "--steps")
        {
            return args.Length == 3
                ? Steps(args[1], int.Parse(args[2]), CellType.Lstm, 8, 32)
                : Steps(args[1], int.Parse(args[2]), Enum.Parse<CellType>(args[3], ignoreCase: true), int.Parse(args[4]), int.Parse(args[5]));
        }
        if (args.Length == 5 && args[0] == "--write-model")
        {
            // A random I = 8 model for `embedded bench` (one layer, one output).
            var cellType = Enum.Parse<CellType>(args[1], ignoreCase: true);
            var model = RandomFloatModel.Create(cellType, 8, int.Parse(args[3]), 1, 1, 1);
            var quantized = Quantizer.Quantize(model, RandomFloatModel.Rows(model, 200, 101), new QuantizeOptions { Bits = int.Parse(args[2]) });
            File.WriteAllBytes(args[4], quantized.Image);
            return 0;
        }
        if (args.Length > 0)
        {
            Console.Error.WriteLine("usage: embedded-kernel-check [--steps portable|widening|vector128|vector256|best N [lstm|gru|rnn 8|16 H]]");
            return 2;
        }
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"machine: {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, accelerated kernel: {AcceleratedKernel.Implementation}");
        foreach (var (name, kernel) in Kernels) Console.WriteLine($"  {name}: fused layers {((AcceleratedKernel)kernel).LayerPath}");
        int failures = 0;
        foreach (CellType cell in new[] { CellType.Rnn, CellType.Lstm, CellType.Gru })
        foreach (int bits in new[] { 8, 16 })
        {
            failures += Check($"golden vectors {cell} int{bits}", () => Golden(cell, bits));
            failures += Check($"random inputs {cell} int{bits}", () => RandomInputs(cell, bits));
            failures += Check($"extreme layers {cell} int{bits}", () => ExtremeLayers(cell, bits));
        }
        Console.WriteLine(failures == 0 ? $"kernel check passed ({clock.Elapsed.TotalSeconds:F1} s)" : $"kernel check FAILED: {failures} checks");
        return failures == 0 ? 0 : 1;
    }

    private static int Check(string name, Func<string?> check)
    {
        string? error = check();
        Console.WriteLine(error == null ? $"ok    {name}" : $"FAIL  {name}: {error}");
        return error == null ? 0 : 1;
    }

    private static ModelImage Model(CellType cell, int bits, int inputs, int hidden, int layers, int outputs, int seed, int rows)
    {
        var model = RandomFloatModel.Create(cell, inputs, hidden, layers, outputs, seed);
        var data = RandomFloatModel.Rows(model, rows, seed + 100);
        return Quantizer.Quantize(model, data, new QuantizeOptions { Bits = bits }).Parse();
    }

    private static string? Golden(CellType cell, int bits)
    {
        var image = Model(cell, bits, 3, 16, 2, 2, 1, 200);
        if (image.GoldenVectorCount == 0) return "model has no golden vectors";
        int portable = Predictor.CountGoldenMismatches(image);
        if (portable != 0) return $"portable kernel: {portable} mismatches";
        foreach (var (name, kernel) in Kernels)
        {
            int mismatches = Predictor.CountGoldenMismatches(image, kernel);
            if (mismatches != 0) return $"{name}: {mismatches} mismatches";
        }
        return null;
    }

    private static string? RandomInputs(CellType cell, int bits)
    {
        // Odd sizes exercise the padding and the row remainders; H = 32 and 64 fill whole blocks.
        foreach (var (inputs, hidden) in new[] { (1, 1), (5, 13), (37, 70), (8, 32), (3, 64) })
        {
            var image = Model(cell, bits, inputs, hidden, 2, 3, hidden, 20);
            var portable = new Predictor(image);
            var others = Kernels.Select(k => (k.Name, Predictor: new Predictor(image, k.Kernel))).ToArray();
            var rng = new Random(hidden);
            var input = new int[image.InputCount];
            int[] expected = new int[image.OutputCount], actual = new int[image.OutputCount];
            for (int t = 0; t < 200; t++)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = (t / 25) switch
                    {
                        0 or 1 or 2 => rng.Next(-(1 << image.InputFracBits) * 3, (1 << image.InputFracBits) * 3),
                        3 => rng.Next(2) == 0 ? int.MaxValue : int.MinValue,
                        _ => rng.Next(int.MinValue, int.MaxValue),
                    };
                }
                portable.Step(input, expected);
                foreach (var (name, predictor) in others)
                {
                    predictor.Step(input, actual);
                    if (!expected.AsSpan().SequenceEqual(actual)) return $"{name}, I={inputs} H={hidden}, step {t}: [{string.Join(",", actual)}], portable [{string.Join(",", expected)}]";
                }
            }
        }
        return null;
    }

    private static string? ExtremeLayers(CellType cell, int bits)
    {
        // Weights, scales, shifts and biases over the whole valid range: every shift (int64 requantisation)
        // and shifts in [17, 46] only (int32 requantisation for int8 weights).
        foreach (bool int32Shifts in new[] { false, true })
        foreach (var (width, hidden) in new[] { (8, 32), (3, 17), (5, 16), (6, 48), (ModelFormat.MaxWidth, 40) })
        {
            var rng = new Random(width * 1000 + hidden);
            Func<Random, int, int> shift = int32Shifts
                ? (r, row) => row % 5 == 0 ? 17 : row % 7 == 0 ? 46 : r.Next(17, 47)
                : (r, row) => row % 11 == 0 ? 0 : row % 13 == 0 ? 62 : r.Next(8, 40);
            int gates = cell switch { CellType.Lstm => 4, CellType.Gru => 3, _ => 1 };
            var parameters = new RecurrentLayerParameters(
                ExtremeParameters.Matrix(rng, gates * hidden, width, bits, shift), ExtremeParameters.Matrix(rng, gates * hidden, hidden, bits, shift),
                ExtremeParameters.Bias(rng, gates * hidden), ExtremeParameters.Bias(rng, gates * hidden));
            var portable = RecurrentLayer.Create(cell, parameters, hidden, PortableKernel.Instance);
            var others = Kernels.Select(k => (k.Name, Layer: RecurrentLayer.Create(cell, parameters, hidden, k.Kernel))).ToArray();
            var input = new short[width];
            for (int t = 0; t < 30; t++)
            {
                for (int i = 0; i < width; i++)
                {
                    input[i] = (t % 3) switch { 0 => (short)rng.Next(short.MinValue, short.MaxValue + 1), 1 => short.MaxValue, _ => short.MinValue };
                }
                if (t == 20)
                {
                    portable.Reset();
                    foreach (var other in others) other.Layer.Reset();
                }
                portable.Step(input);
                foreach (var (name, layer) in others)
                {
                    layer.Step(input);
                    if (!portable.State.AsSpan().SequenceEqual(layer.State)) return $"{name}, width {width} H={hidden}, int32 shifts {int32Shifts}, step {t}";
                }
            }
        }
        return null;
    }

    /// <summary>
    /// N steps of one path's layer (I = 8), after 3 warm-up steps that compile everything the step calls, for
    /// counting instructions per step under qemu. With EMBEDDED_PRINT_MAPS=1 it prints the process's
    /// executable anonymous mappings (where the JIT puts code) to stderr, for qemu's -dfilter.
    /// </summary>
    private static int Steps(string path, int steps, CellType cell, int bits, int hidden)
    {
        IKernel? kernel = path switch
        {
            "portable" => PortableKernel.Instance,
            "widening" => AcceleratedKernel.Widening,
            "vector128" => AcceleratedKernel.Vector128Fused,
            "vector256" => AcceleratedKernel.Avx2Only,
            "best" => AcceleratedKernel.Instance,
            _ => null,
        };
        if (kernel == null)
        {
            Console.Error.WriteLine($"unknown path {path}");
            return 2;
        }
        var image = Model(cell, bits, 8, hidden, 1, 1, 1, 50);
        var layer = RecurrentLayer.Create(cell, image.Layers[0], image.HiddenSize, kernel);
        // Inputs drawn beforehand, so the counted loop holds the steps and little else.
        var rng = new Random(1);
        var inputs = new short[64][];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k] = new short[8];
            for (int i = 0; i < 8; i++) inputs[k][i] = (short)rng.Next(-8192, 8192);
        }
        long check = 0;
        for (int t = 0; t < 3; t++) layer.Step(inputs[t]);
        if (Environment.GetEnvironmentVariable("EMBEDDED_PRINT_MAPS") == "1")
        {
            foreach (string line in File.ReadAllLines("/proc/self/maps"))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length >= 2 && f[1].Contains('x')) Console.Error.WriteLine("map " + line);
            }
        }
        for (int t = 0; t < steps; t++)
        {
            layer.Step(inputs[t & 63]);
            check += layer.State[t % layer.State.Length];
        }
        Console.WriteLine($"{path}: {steps} steps, {cell} int{bits} H={hidden}, {layer.GetType().Name}, checksum {check}");
        return 0;
    }
}
