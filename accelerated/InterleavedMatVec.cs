using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// x64 matrix-vector product over <see cref="InterleavedWeights"/>: 16 rows per block with AVX-512BW,
/// 8 with AVX2. Exact, so equal to the portable kernel bit for bit.
/// </summary>
internal sealed class InterleavedMatVec : IMatVec
{
    private readonly InterleavedWeights _w;
    private readonly InputPairs _x;
    private readonly int _rows;
    private readonly bool _wide;

    public InterleavedMatVec(QuantizedMatrix matrix, bool avx512)
    {
        _rows = matrix.Rows;
        _wide = avx512;
        _w = new InterleavedWeights(matrix, avx512 ? 16 : 8, Math.Max(1, matrix.Rows));
        _x = new InputPairs(matrix.Cols, matrix.Weights16 != null);
    }

    public void Multiply(short[] input, long[] accumulators)
    {
        InterleavedWeights w = _w;
        InputPairs x = _x;
        x.Load(input);
        ref int low = ref InputPairs.PairsOf(x.Low);
        int lanes = w.Lanes, rows = _rows;
        Span<int> sums = stackalloc int[16];
        Span<int> highs = stackalloc int[16];
        for (int b = 0; b < w.Blocks; b++)
        {
            if (w.Weights8 != null)
            {
                if (_wide) InterleavedDot.Block512(w.Weights8, b, w.Pairs, ref low).CopyTo(sums);
                else InterleavedDot.Block256(w.Weights8, b, w.Pairs, ref low).CopyTo(sums);
                highs.Clear();
            }
            else if (_wide)
            {
                InterleavedDot.Block512(w.Weights16!, b, w.Pairs, ref low, ref InputPairs.PairsOf(x.High!), out var l, out var h);
                l.CopyTo(sums);
                h.CopyTo(highs);
            }
            else
            {
                InterleavedDot.Block256(w.Weights16!, b, w.Pairs, ref low, ref InputPairs.PairsOf(x.High!), out var l, out var h);
                l.CopyTo(sums);
                h.CopyTo(highs);
            }
            int first = b * lanes;
            int count = Math.Min(lanes, rows - first);
            for (int i = 0; i < count; i++) accumulators[first + i] = ((long)highs[i] << 8) + sums[i];
        }
    }

    /// <summary>Whether AVX-512BW is usable and worth it here.</summary>
    public static bool Avx512Usable => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;
}
