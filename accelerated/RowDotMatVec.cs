using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// AVX-512 product for matrices of few rows (the dense head): one row at a time, 32 columns per
/// pmaddwd, weights widened to int16 and zero-padded at load. Each pair sum |w·x + w'·x'| ≤ 2·32767·32768
/// fits int32; int16 rows are widened to int64 per vector (a row of 512 int16 products needs 40 bits),
/// int8 rows fit int32 whole. Exact, so equal to the portable kernel bit for bit.
/// </summary>
internal sealed class RowDotMatVec : IMatVec
{
    /// <summary>Up to this many rows this beats the row-interleaved blocks (which compute 16 rows at a time).</summary>
    public const int MaxRows = 8;

    private readonly AlignedBuffer<short> _weights;
    private readonly AlignedBuffer<short> _input;
    private readonly int _rows, _cols, _vectors;
    private readonly bool _wide;

    public RowDotMatVec(QuantizedMatrix matrix)
    {
        _rows = matrix.Rows;
        _cols = matrix.Cols;
        _vectors = (_cols + 31) / 32;
        _wide = matrix.Weights16 != null;
        _weights = new AlignedBuffer<short>(_rows * _vectors * 32);
        for (int r = 0; r < _rows; r++)
        {
            for (int c = 0; c < _cols; c++)
            {
                _weights[r * _vectors * 32 + c] = (short)matrix.Weight(r, c);
            }
        }
        _input = new AlignedBuffer<short>(_vectors * 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Multiply(short[] input, long[] accumulators)
    {
        // Whole vectors are read in place; otherwise the padded copy keeps the loads in bounds (its tail stays zero).
        ref short xs = ref MemoryMarshal.GetArrayDataReference(input);
        if (_cols % 32 != 0 || input.Length < _cols)
        {
            input.AsSpan(0, _cols).CopyTo(_input.Span);
            xs = ref _input.Start;
        }
        ref short w = ref _weights.Start;
        int vectors = _vectors;
        for (int r = 0; r < _rows; r++)
        {
            if (_wide)
            {
                Vector512<long> sum = Vector512<long>.Zero;
                for (int v = 0; v < vectors; v++)
                {
                    Vector512<int> pairs = Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref w, (nuint)(v * 32)), Vector512.LoadUnsafe(ref xs, (nuint)(v * 32)));
                    sum += Avx512F.ConvertToVector512Int64(pairs.GetLower()) + Avx512F.ConvertToVector512Int64(pairs.GetUpper());
                }
                accumulators[r] = Vector512.Sum(sum);
            }
            else
            {
                Vector512<int> sum = Vector512<int>.Zero;
                for (int v = 0; v < vectors; v++)
                {
                    sum += Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref w, (nuint)(v * 32)), Vector512.LoadUnsafe(ref xs, (nuint)(v * 32)));
                }
                accumulators[r] = Vector512.Sum(sum);
            }
            w = ref Unsafe.Add(ref w, vectors * 32);
        }
    }
}
