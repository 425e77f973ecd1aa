using BenchmarkDotNet.Attributes;
using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Bench;

/// <summary>
/// ns per streaming step of the integer runtime, portable and accelerated kernels, int8 and int16, for
/// LSTM and GRU at I = 8, H = 32 and 128 (one layer, one output), and bytes allocated per step.
/// dotnet run -c Release --project tools/bench -- --filter '*RuntimeBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class RuntimeBenchmarks
{
    private const int Inputs = 8;
    private Predictor _portable = null!;
    private Predictor _accelerated = null!;
    private int[][] _rows = null!;
    private int[] _output = null!;
    private int _t;

    [Params(CellType.Lstm, CellType.Gru)] public CellType Cell { get; set; }
    [Params(32, 128)] public int Hidden { get; set; }
    [Params(8, 16)] public int Bits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = RandomFloatModel.Create(Cell, Inputs, Hidden, 1, 1, seed: 42);
        var rows = RandomFloatModel.Rows(model, 256, seed: 7);
        var image = Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = Bits, CalibrateDetector = false }).Parse();
        _portable = new Predictor(image);
        _accelerated = AcceleratedPredictor.Create(image);
        _rows = rows.Select(r => r.Select(v => FixedIo.ToFixed(v, image.InputFracBits)).ToArray()).ToArray();
        _output = new int[1];
    }

    [Benchmark]
    public int Portable()
    {
        _portable.Step(_rows[_t++ & 255], _output);
        return _output[0];
    }

    [Benchmark]
    public int Accelerated()
    {
        _accelerated.Step(_rows[_t++ & 255], _output);
        return _output[0];
    }
}

/// <summary>The float (double) reference runtime at the same shapes, for comparison.</summary>
[MemoryDiagnoser]
public class RuntimeFloatReferenceBenchmarks
{
    private FloatReference _reference = null!;
    private double[][] _rows = null!;
    private double[] _output = null!;
    private int _t;

    [Params(CellType.Lstm, CellType.Gru)] public CellType Cell { get; set; }
    [Params(32, 128)] public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = RandomFloatModel.Create(Cell, 8, Hidden, 1, 1, seed: 42);
        _rows = RandomFloatModel.Rows(model, 256, seed: 7);
        _reference = new FloatReference(model);
        _output = new double[1];
    }

    [Benchmark]
    public double FloatReference()
    {
        _reference.Step(_rows[_t++ & 255], _output);
        return _output[0];
    }
}
