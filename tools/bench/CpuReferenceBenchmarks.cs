using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Embedded.Bench;

/// <summary>
/// How fast the vCPU is right now, independent of this project's code, so a suite's figures can be read
/// against the machine's state: a chain of 1,000 dependent 64-bit multiply-adds (latency: the core's
/// clock and whatever shares its multiplier) and 4,096 independent 512-bit pmaddwd + add over 8 KiB in
/// L1 (throughput of the instruction the accelerated kernel spends most of its time on). Run it before
/// and after a suite, pinned like the suite:
/// taskset -c 0 dotnet Embedded.Bench.dll --filter '*CpuReferenceBenchmarks*' --job short
/// </summary>
public class CpuReferenceBenchmarks
{
    private readonly short[] _weights = new short[4096];
    private ulong _seed = 1;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        for (int i = 0; i < _weights.Length; i++) _weights[i] = (short)rng.Next(-128, 128);
    }

    // Compiled optimised at once: as a tier-0 method its loop would run as on-stack-replacement code
    // first, which keeps x in memory and reads about 3× slower for a while.
    [Benchmark]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong DependentMultiplyAdd1000()
    {
        ulong x = _seed;
        for (int i = 0; i < 1000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        _seed = x;
        return x;
    }

    /// <summary>128 vectors of 32 weights, 32 passes: 4,096 pmaddwd into 8 independent accumulators.</summary>
    [Benchmark]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int VectorMultiplyAdd4096()
    {
        if (!Avx512BW.IsSupported) return 0;
        Vector512<int> a0 = Vector512<int>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        Vector512<short> x = Vector512.Create((short)(_seed | 1));
        short[] w = _weights;
        for (int pass = 0; pass < 32; pass++)
        {
            for (int i = 0; i < w.Length; i += 256)
            {
                a0 += Avx512BW.MultiplyAddAdjacent(Vector512.Create(w.AsSpan(i, 32)), x);
                a1 += Avx512BW.MultiplyAddAdjacent(Vector512.Create(w.AsSpan(i + 32, 32)), x);
                a2 += Avx512BW.MultiplyAddAdjacent(Vector512.Create(w.AsSpan(i + 64, 32)), x);
                a3 += Avx512BW.MultiplyAddAdjacent(Vector512.Create(w.AsSpan(i + 96, 32)), x);
                a4 += Avx512BW.MultiplyAddAdjacent(Vector512.Create(w.AsSpan(i + 128, 32)), x);
                a5 += Avx512BW.MultiplyAddAdjacent(Vector512.Create(w.AsSpan(i + 160, 32)), x);
                a6 += Avx512BW.MultiplyAddAdjacent(Vector512.Create(w.AsSpan(i + 192, 32)), x);
                a7 += Avx512BW.MultiplyAddAdjacent(Vector512.Create(w.AsSpan(i + 224, 32)), x);
            }
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }
}
