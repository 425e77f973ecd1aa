using BenchmarkDotNet.Attributes;
using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Bench;

/// <summary>
/// What the accelerated kernel's own input normaliser is worth, in one build: the accelerated step with
/// it against the same step with the portable normaliser (a kernel wrapper without the hook).
/// dotnet run -c Release --project tools/bench -- --filter '*RuntimeNormaliserBenchmarks*' --job short
/// </summary>
public class RuntimeNormaliserBenchmarks
{
    private const int Inputs = 8;
    private Predictor _ownNormaliser = null!;
    private Predictor _portableNormaliser = null!;
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
        _ownNormaliser = new Predictor(image, AcceleratedKernel.Instance);
        _portableNormaliser = new Predictor(image, new WithoutNormaliserHook(AcceleratedKernel.Instance));
        _rows = rows.Select(r => r.Select(v => FixedIo.ToFixed(v, image.InputFracBits)).ToArray()).ToArray();
        _output = new int[1];
    }

    [Benchmark(Baseline = true)]
    public int StepWithPortableNormaliser()
    {
        _portableNormaliser.Step(_rows[_t++ & 255], _output);
        return _output[0];
    }

    [Benchmark]
    public int StepWithKernelNormaliser()
    {
        _ownNormaliser.Step(_rows[_t++ & 255], _output);
        return _output[0];
    }

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
    private const int Inputs = 8;
    private IInputNormaliser _kernel = null!;
    private InputNormaliser _portable = null!;
    private int[][] _rows = null!;
    private short[] _normalised = null!;
    private int _t;

    [GlobalSetup]
    public void Setup()
    {
        var model = RandomFloatModel.Create(CellType.Lstm, Inputs, 32, 1, 1, seed: 42);
        var rows = RandomFloatModel.Rows(model, 256, seed: 7);
        var image = Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = 8, CalibrateDetector = false }).Parse();
        _kernel = new Predictor(image, AcceleratedKernel.Instance).Normaliser;
        _portable = new InputNormaliser(image);
        _rows = rows.Select(r => r.Select(v => FixedIo.ToFixed(v, image.InputFracBits)).ToArray()).ToArray();
        _normalised = new short[Inputs];
    }

    [Benchmark(Baseline = true)]
    public short Portable()
    {
        _portable.Apply(_rows[_t++ & 255], _normalised);
        return _normalised[0];
    }

    [Benchmark]
    public short Kernel()
    {
        _kernel.Apply(_rows[_t++ & 255], _normalised);
        return _normalised[0];
    }
}
