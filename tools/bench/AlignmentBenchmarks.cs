using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace Embedded.Bench;

/// <summary>
/// Why the accelerated kernel's buffers are 64-byte aligned (accelerated/AlignedBuffer): the int32 block
/// requantisation of 128 rows (BlockRequantiser.Scale32's arithmetic: sums, then multiplier, rounding, shift
/// and bias per block) with its buffers starting on a cache line, and 16, 32 or 48 bytes past one, where
/// an ordinary array's data would sit (it starts 16 bytes into the object). Needs AVX-512.
/// dotnet Embedded.Bench.dll --filter '*AlignmentBenchmarks*' --job short
/// </summary>
public class AlignmentBenchmarks
{
    private const int Rows = 128;
    private int[] _sums = null!, _parameters = null!, _pre = null!;
    private int _sumsAt, _parametersAt, _preAt;

    /// <summary>Bytes past a 64-byte boundary where every buffer starts.</summary>
    [Params(0, 16, 32, 48)] public int Offset { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _sums = Pinned(Rows, out _sumsAt);
        _parameters = Pinned(Rows * 4, out _parametersAt);
        _pre = Pinned(Rows, out _preAt);
        for (int i = 0; i < Rows; i++) _sums[_sumsAt + i] = rng.Next();
        for (int i = 0; i < Rows * 4; i++) _parameters[_parametersAt + i] = rng.Next(17, 30);
    }

    /// <summary>A pinned array and the index of its first element at <see cref="Offset"/> bytes past a 64-byte boundary.</summary>
    private int[] Pinned(int length, out int start)
    {
        int[] array = GC.AllocateArray<int>(length + 32, pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0).ToInt64();
        start = (int)((64 - address % 64) % 64 + Offset) / sizeof(int);
        return array;
    }

    [Benchmark]
    public void Requantise() =>
        Requantise(ref _sums[_sumsAt], ref _parameters[_parametersAt], ref _pre[_preAt]);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Requantise(ref int sums, ref int parameters, ref int pre)
    {
        for (int r = 0; r < Rows; r += 16)
        {
            Vector512<int> acc = Vector512.LoadUnsafe(ref sums, (nuint)r);
            ref int block = ref Unsafe.Add(ref parameters, r * 4);
            Vector512<int> m = Vector512.LoadUnsafe(ref block);
            Vector512<int> high = Vector512.ShiftRightArithmetic(acc, 16) * m;
            Vector512<int> low = Vector512.ShiftRightLogical((acc & Vector512.Create(0xFFFF)) * m, 16);
            Vector512<int> sum = high + low + Vector512.LoadUnsafe(ref block, 16);
            Vector512<int> scaled = Avx512F.ShiftRightArithmeticVariable(sum, Vector512.LoadUnsafe(ref block, 32).AsUInt32());
            (scaled + Vector512.LoadUnsafe(ref block, 48)).StoreUnsafe(ref pre, (nuint)r);
        }
    }
}
