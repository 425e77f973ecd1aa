using BenchmarkDotNet.Attributes;
using Embedded.Shared;
using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Bench;

/// <summary>
/// The portable kernel's two int8 forms side by side, ns per streaming step at the RuntimeBenchmarks shapes:
/// packed two rows per 64-bit word (the default, 4 bytes of RAM per weight) and straight from the model's
/// bytes (<see cref="PortableKernel.Compact"/>, what a RAM-tight microcontroller runs).
/// dotnet Embedded.Bench.dll --filter '*PortableKernelBenchmarks*' --job short --inProcess
/// </summary>
[MemoryDiagnoser]
public class PortableKernelBenchmarks
{
    private const int Inputs = 8;
    private Predictor _packed = null!;
    private Predictor _compact = null!;
    private int[][] _rows = null!;
    private int[] _output = null!;
    private int _t;

    [Params(CellType.Lstm, CellType.Gru)] public CellType Cell { get; set; }
    [Params(32, 128)] public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = RandomFloatModel.Create(Cell, Inputs, Hidden, 1, 1, seed: 42);
        var rows = RandomFloatModel.Rows(model, 256, seed: 7);
        var image = Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = 8, CalibrateDetector = false }).Parse();
        _packed = new Predictor(image, PortableKernel.Instance);
        _compact = new Predictor(image, PortableKernel.Compact);
        _rows = rows.Select(r => r.Select(v => FixedIo.ToFixed(v, image.InputFracBits)).ToArray()).ToArray();
        _output = new int[1];
    }

    [Benchmark(Baseline = true)]
    public int Compact()
    {
        _compact.Step(_rows[_t++ & 255], _output);
        return _output[0];
    }

    [Benchmark]
    public int Packed()
    {
        _packed.Step(_rows[_t++ & 255], _output);
        return _output[0];
    }
}
