using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Product for matrices of few rows (the dense head): one row at a time, 32 columns per pmaddwd with
/// AVX-512BW, 16 with AVX2; weights widened to int16 and zero-padded at load. Each pair sum
/// |w·x + w'·x'| ≤ 2·32767·32768 fits int32; int16 rows are widened to int64 per vector (a row of 512
/// int16 products needs 40 bits), int8 rows fit int32 whole. Exact, so equal to the portable kernel bit for bit.
/// On AVX2 this replaces the 8-row interleaved block for a one-output head (7 of its 8 rows padding, and
/// the int16 input split in two): with the AVX2 normaliser, the int16 H = 32 steps about 15 ns faster in an A/B run
/// (BENCHMARKS.md, issue 17).
/// </summary>
internal sealed class RowDotMatVec : IMatVec
{
    /// <summary>Up to this many rows this beats the row-interleaved blocks (which compute 16 rows at a time).</summary>
    public const int MaxRows = 8;

    private readonly AlignedBuffer<short> _weights;
    private readonly AlignedBuffer<short> _input;
    private readonly int _rows, _cols, _vectors, _lanes;
    private readonly bool _wide, _avx512;

    /// <param name="avx512">512-bit vectors (AVX-512BW); else 256-bit (AVX2).</param>
    public RowDotMatVec(QuantizedMatrix matrix, bool avx512 = true)
    {
        _avx512 = avx512;
        _lanes = avx512 ? 32 : 16;
        _rows = matrix.Rows;
        _cols = matrix.Cols;
        _vectors = (_cols + _lanes - 1) / _lanes;
        _wide = matrix.Weights16 != null;
        _weights = new AlignedBuffer<short>(_rows * _vectors * _lanes);
        for (int r = 0; r < _rows; r++)
        {
            for (int c = 0; c < _cols; c++)
            {
                _weights[r * _vectors * _lanes + c] = (short)matrix.Weight(r, c);
            }
        }
        _input = new AlignedBuffer<short>(_vectors * _lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Multiply(short[] input, long[] accumulators)
    {
        if (accumulators.Length < _rows) throw new ArgumentException("accumulators needs " + _rows + " values", nameof(accumulators));
        // Whole vectors are read in place; otherwise the padded copy keeps the loads in bounds (its tail stays zero).
        ref short xs = ref MemoryMarshal.GetArrayDataReference(input);
        if (_cols % _lanes != 0 || input.Length < _cols)
        {
            input.AsSpan(0, _cols).CopyTo(_input.Span);
            xs = ref _input.Start;
        }
        ref short w = ref _weights.Start;
        ref long sums = ref MemoryMarshal.GetArrayDataReference(accumulators);
        if (_avx512) Rows512(ref w, ref xs, ref sums, _rows, _vectors, _wide);
        else Rows256(ref w, ref xs, ref sums, _rows, _vectors, _wide);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows512(ref short w, ref short xs, ref long sums, int rows, int vectors, bool wide)
    {
        for (int r = 0; r < rows; r++)
        {
            if (wide)
            {
                Vector512<long> sum = Vector512<long>.Zero;
                for (int v = 0; v < vectors; v++)
                {
                    Vector512<int> pairs = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref w, (nuint)(v * 32)), Vector512.LoadUnsafe(ref xs, (nuint)(v * 32)));
                    sum += Avx512F.ConvertToVector512Int64(pairs.GetLower()) + Avx512F.ConvertToVector512Int64(pairs.GetUpper());
                }
                Unsafe.Add(ref sums, r) = Vector512.Sum(sum);
            }
            else
            {
                Vector512<int> sum = Vector512<int>.Zero;
                for (int v = 0; v < vectors; v++)
                {
                    sum += Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref w, (nuint)(v * 32)), Vector512.LoadUnsafe(ref xs, (nuint)(v * 32)));
                }
                Unsafe.Add(ref sums, r) = Vector512.Sum(sum);
            }
            w = ref Unsafe.Add(ref w, vectors * 32);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows256(ref short w, ref short xs, ref long sums, int rows, int vectors, bool wide)
    {
        for (int r = 0; r < rows; r++)
        {
            if (wide)
            {
                Vector256<long> sum = Vector256<long>.Zero;
                for (int v = 0; v < vectors; v++)
                {
                    Vector256<int> pairs = Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref w, (nuint)(v * 16)), Vector256.LoadUnsafe(ref xs, (nuint)(v * 16)));
                    sum += Avx2.ConvertToVector256Int64(pairs.GetLower()) + Avx2.ConvertToVector256Int64(pairs.GetUpper());
                }
                Unsafe.Add(ref sums, r) = Vector256.Sum(sum);
            }
            else
            {
                Vector256<int> sum = Vector256<int>.Zero;
                for (int v = 0; v < vectors; v++)
                {
                    sum += Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref w, (nuint)(v * 16)), Vector256.LoadUnsafe(ref xs, (nuint)(v * 16)));
                }
                Unsafe.Add(ref sums, r) = Vector256.Sum(sum);
            }
            w = ref Unsafe.Add(ref w, vectors * 16);
        }
    }
}
