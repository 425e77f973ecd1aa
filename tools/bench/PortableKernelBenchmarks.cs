using BenchmarkDotNet.Attributes;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Bench;

/// <summary>
/// The portable kernel's two int8 forms side by side, ns per streaming step at the RuntimeBenchmarks shapes:
/// packed two rows per 64-bit word (the default, 4 bytes of RAM per weight) and straight from the model's
/// bytes (<see cref="PortableKernel.Compact"/>, what a RAM-tight microcontroller runs), both with the layers fused
/// for an interpreter, and packed with the plain layers (<see cref="PortableKernel.Compiled"/>, what the PC runs).
/// dotnet Embedded.Bench.dll --filter '*PortableKernelBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class PortableKernelBenchmarks
{
    private Predictor _packed = null!;
    private Predictor _compact = null!;
    private Predictor _compiled = null!;
    private RuntimeBenchStream _stream = null!;

    [Params(CellType.Lstm, CellType.Gru)] public CellType Cell { get; set; }
    [Params(32, 128)] public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _stream = new RuntimeBenchStream(Cell, Hidden, bits: 8);
        _packed = new Predictor(_stream.Image, PortableKernel.Instance);
        _compact = new Predictor(_stream.Image, PortableKernel.Compact);
        _compiled = new Predictor(_stream.Image, PortableKernel.Compiled);
    }

    [Benchmark(Baseline = true)]
    public int Compact() => _stream.Step(_compact);

    [Benchmark]
    public int Packed() => _stream.Step(_packed);

    [Benchmark]
    public int PackedPlainLayers() => _stream.Step(_compiled);
}
