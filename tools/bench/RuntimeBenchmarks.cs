using BenchmarkDotNet.Attributes;
using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Bench;

/// <summary>
/// ns per streaming step of the integer runtime, portable and accelerated kernels, int8 and int16, for
/// LSTM and GRU at I = 8, H = 32 and 128 (one layer, one output), and bytes allocated per step.
/// dotnet run -c Release --project tools/bench -- --filter '*RuntimeBenchmarks*' --job short --envVars DOTNET_TC_CallCountingDelayMs:0
/// (not pinned to one CPU: tiered compilation's optimised code can then arrive late; BENCHMARKS.md)
/// </summary>
[MemoryDiagnoser]
public class RuntimeBenchmarks
{
    private Predictor _portable = null!;
    private Predictor _accelerated = null!;
    private RuntimeBenchStream _stream = null!;

    [Params(CellType.Lstm, CellType.Gru)] public CellType Cell { get; set; }
    [Params(32, 128)] public int Hidden { get; set; }
    [Params(8, 16)] public int Bits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _stream = new RuntimeBenchStream(Cell, Hidden, Bits);
        _portable = new Predictor(_stream.Image, PortableKernel.Compiled); // the PC runs the plain layers
        _accelerated = AcceleratedPredictor.Create(_stream.Image);
    }

    [Benchmark]
    public int Portable() => _stream.Step(_portable);

    [Benchmark]
    public int Accelerated() => _stream.Step(_accelerated);
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
        // The float model and rows the integer suites quantize (the weight width does not matter here).
        var stream = new RuntimeBenchStream(Cell, Hidden, bits: 16);
        _rows = stream.FloatRows;
        _reference = new FloatReference(stream.Float);
        _output = new double[1];
    }

    [Benchmark]
    public double FloatReference()
    {
        _reference.Step(_rows[_t++ & 255], _output);
        return _output[0];
    }
}
