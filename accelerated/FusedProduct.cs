using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// One gate matrix of a fused layer on AVX-512: the interleaved product, then the portable
/// <c>RowScale</c> arithmetic on 8 int64 lanes at a time: bias + clamp((acc·m + 2^(s−1)) >> s, ±MaxBias).
/// Rows are padded per gate to whole blocks of 16; padded rows have zero weights, scale and bias.
/// </summary>
internal sealed class FusedProduct
{
    private const int Lanes = 16;
    private readonly InterleavedWeights _w;
    private readonly InputPairs _x;
    private readonly long[] _multipliers;
    private readonly ulong[] _shifts;
    private readonly long[] _rounding;
    private readonly int[] _bias;

    public FusedProduct(QuantizedMatrix matrix, int[] bias, int hidden)
    {
        _w = new InterleavedWeights(matrix, Lanes, hidden);
        _x = new InputPairs(matrix.Cols, matrix.Weights16 != null);
        int padded = _w.PaddedRows;
        _multipliers = new long[padded];
        _shifts = new ulong[padded];
        _rounding = new long[padded];
        _bias = new int[padded];
        Output = new int[padded];
        for (int r = 0; r < matrix.Rows; r++)
        {
            int p = _w.PaddedRow(r);
            int shift = matrix.Shifts[r];
            _multipliers[p] = matrix.Multipliers[r];
            _shifts[p] = (ulong)shift;
            _rounding[p] = shift > 0 ? 1L << (shift - 1) : 0L;
            _bias[p] = bias[r];
        }
    }

    /// <summary>Q12 pre-activations, gate g of unit j at g·PaddedHidden + j.</summary>
    public int[] Output { get; }

    public int PaddedHidden => _w.PaddedGroupRows;

    public void Run(short[] input)
    {
        InterleavedWeights w = _w;
        InputPairs x = _x;
        x.Load(input);
        ref int low = ref InputPairs.PairsOf(x.Low);
        ref int output = ref MemoryMarshal.GetArrayDataReference(Output);
        int pairs = w.Pairs;
        if (w.Weights8 != null)
        {
            sbyte[] weights = w.Weights8;
            for (int b = 0; b < w.Blocks; b++)
            {
                Vector512<int> sums = InterleavedDot.Block512(weights, b, pairs, ref low);
                Scale(sums, Vector512<int>.Zero, false, b * Lanes).StoreUnsafe(ref output, (nuint)(b * Lanes));
            }
        }
        else
        {
            short[] weights = w.Weights16!;
            ref int high = ref InputPairs.PairsOf(x.High!);
            for (int b = 0; b < w.Blocks; b++)
            {
                InterleavedDot.Block512(weights, b, pairs, ref low, ref high, out Vector512<int> l, out Vector512<int> h);
                Scale(l, h, true, b * Lanes).StoreUnsafe(ref output, (nuint)(b * Lanes));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<int> Scale(Vector512<int> low, Vector512<int> high, bool split, int row)
    {
        Vector256<int> first = Half(low.GetLower(), high.GetLower(), split, row);
        Vector256<int> second = Half(low.GetUpper(), high.GetUpper(), split, row + 8);
        return Vector512.Create(first, second) + Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_bias), (nuint)row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<int> Half(Vector256<int> low, Vector256<int> high, bool split, int row)
    {
        Vector512<int> m = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_multipliers), (nuint)row).AsInt32();
        // acc·m exactly: vpmuldq multiplies the (sign-extended) low halves of each 64-bit lane.
        Vector512<long> product = Avx512F.Multiply(Avx512F.ConvertToVector512Int64(low).AsInt32(), m);
        if (split) product += Vector512.ShiftLeft(Avx512F.Multiply(Avx512F.ConvertToVector512Int64(high).AsInt32(), m), 8);
        product += Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_rounding), (nuint)row);
        Vector512<long> scaled = Avx512F.ShiftRightArithmeticVariable(product, Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_shifts), (nuint)row));
        scaled = Vector512.Min(Vector512.Max(scaled, Vector512.Create(-(long)ModelFormat.MaxBias)), Vector512.Create((long)ModelFormat.MaxBias));
        return Avx512F.ConvertToVector256Int32(scaled);
    }
}
