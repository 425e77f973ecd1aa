using BenchmarkDotNet.Attributes;
using Embedded.Shared.Kernels;

namespace Embedded.Bench;

/// <summary>
/// One int8 matrix-vector product alone, the portable kernel's two forms side by side: packed two rows per
/// 64-bit word and straight from the bytes. 128 × 32 and 512 × 128 are the recurrent matrices of an LSTM at
/// H = 32 and 128; ns per product divided by rows × cols gives ns per multiply-accumulate.
/// dotnet Embedded.Bench.dll --filter '*PortableMatVecBenchmarks*' --job short
/// </summary>
public class PortableMatVecBenchmarks
{
    private IMatVec _packed = null!;
    private IMatVec _bytes = null!;
    private short[] _input = null!;
    private long[] _sums = null!;

    [Params("128x32", "512x128")] public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Shape.Split('x');
        int rows = int.Parse(parts[0]), cols = int.Parse(parts[1]);
        var rng = new Random(1);
        var weights = new sbyte[rows * cols];
        for (int i = 0; i < weights.Length; i++) weights[i] = (sbyte)rng.Next(-127, 128);
        _input = new short[cols];
        for (int i = 0; i < cols; i++) _input[i] = (short)rng.Next(short.MinValue, short.MaxValue + 1);
        _packed = new PortablePackedMatVec8(weights, rows, cols);
        _bytes = new PortableMatVec8(weights, rows, cols);
        _sums = new long[rows];
    }

    [Benchmark(Baseline = true)]
    public long Bytes()
    {
        _bytes.Multiply(_input, _sums);
        return _sums[0];
    }

    [Benchmark]
    public long Packed()
    {
        _packed.Multiply(_input, _sums);
        return _sums[0];
    }
}
