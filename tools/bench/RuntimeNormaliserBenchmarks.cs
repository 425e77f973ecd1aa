using BenchmarkDotNet.Attributes;
using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Bench;

/// <summary>
/// What the accelerated kernel's own input normaliser is worth, in one build: the accelerated step with
/// it against the same step with the portable normaliser (a kernel wrapper without the hook).
/// dotnet run -c Release --project tools/bench -- --filter '*RuntimeNormaliserBenchmarks*' --job short
/// </summary>
public class RuntimeNormaliserBenchmarks
{
    private Predictor _ownNormaliser = null!;
    private Predictor _portableNormaliser = null!;
    private RuntimeBenchStream _stream = null!;

    [Params(CellType.Lstm, CellType.Gru)] public CellType Cell { get; set; }
    [Params(32, 128)] public int Hidden { get; set; }
    [Params(8, 16)] public int Bits { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _stream = new RuntimeBenchStream(Cell, Hidden, Bits);
        _ownNormaliser = new Predictor(_stream.Image, AcceleratedKernel.Instance);
        _portableNormaliser = new Predictor(_stream.Image, new WithoutNormaliserHook(AcceleratedKernel.Instance));
    }

    [Benchmark(Baseline = true)]
    public int StepWithPortableNormaliser() => _stream.Step(_portableNormaliser);

    [Benchmark]
    public int StepWithKernelNormaliser() => _stream.Step(_ownNormaliser);

    /// <summary>The accelerated kernel's products and fused layers, without its normaliser hook.</summary>
    private sealed class WithoutNormaliserHook(AcceleratedKernel inner) : IKernel, ILayerKernel
    {
        public IMatVec Create(QuantizedMatrix matrix) => inner.Create(matrix);

        public RecurrentLayer? CreateLayer(CellType cell, RecurrentLayerParameters parameters, int hidden) => inner.CreateLayer(cell, parameters, hidden);
    }
}

/// <summary>The portable and the accelerated kernel's input normaliser alone, at I = 8.</summary>
public class RuntimeNormaliserAloneBenchmarks
{
    private IInputNormaliser _kernel = null!;
    private InputNormaliser _portable = null!;
    private RuntimeBenchStream _stream = null!;
    private short[] _normalised = null!;

    [GlobalSetup]
    public void Setup()
    {
        _stream = new RuntimeBenchStream(CellType.Lstm, 32, bits: 8);
        _kernel = new Predictor(_stream.Image, AcceleratedKernel.Instance).Normaliser;
        _portable = new InputNormaliser(_stream.Image);
        _normalised = new short[RuntimeBenchStream.Inputs];
    }

    [Benchmark(Baseline = true)]
    public short Portable()
    {
        _portable.Apply(_stream.NextRow(), _normalised);
        return _normalised[0];
    }

    [Benchmark]
    public short Kernel()
    {
        _kernel.Apply(_stream.NextRow(), _normalised);
        return _normalised[0];
    }
}
