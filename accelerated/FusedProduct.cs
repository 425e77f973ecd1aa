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
    // Per row, split by parity: rows 2k of a block at [block·8 + k] of the Even arrays, rows 2k+1 in Odd,
    // so that vpmuldq on the int32 sums (even rows in the low halves of the 64-bit lanes) needs no widening.
    private readonly long[] _multipliersEven, _multipliersOdd;
    private readonly ulong[] _shiftsEven, _shiftsOdd;
    private readonly long[] _roundingEven, _roundingOdd;
    private readonly int[] _bias;
    // The int32 requantisation (int8 weights, every row's shift in [17, 46]): per padded row.
    private readonly int[]? _multipliers32, _rounding32, _shifts32;

    public FusedProduct(QuantizedMatrix matrix, int[] bias, int hidden)
    {
        _w = new InterleavedWeights(matrix, Lanes, hidden);
        _x = new InputPairs(matrix.Cols, matrix.Weights16 != null);
        int padded = _w.PaddedRows;
        _multipliersEven = new long[padded / 2];
        _multipliersOdd = new long[padded / 2];
        _shiftsEven = new ulong[padded / 2];
        _shiftsOdd = new ulong[padded / 2];
        _roundingEven = new long[padded / 2];
        _roundingOdd = new long[padded / 2];
        _bias = new int[padded];
        Output = new int[padded];
        for (int r = 0; r < matrix.Rows; r++)
        {
            int p = _w.PaddedRow(r);
            int shift = matrix.Shifts[r];
            int half = p / 2;
            long rounding = shift > 0 ? 1L << (shift - 1) : 0L;
            if ((p & 1) == 0)
            {
                _multipliersEven[half] = matrix.Multipliers[r];
                _shiftsEven[half] = (ulong)shift;
                _roundingEven[half] = rounding;
            }
            else
            {
                _multipliersOdd[half] = matrix.Multipliers[r];
                _shiftsOdd[half] = (ulong)shift;
                _roundingOdd[half] = rounding;
            }
            _bias[p] = bias[r];
        }
        if (matrix.Weights8 != null && Int32Requantisable(matrix))
        {
            _multipliers32 = new int[padded];
            _rounding32 = new int[padded];
            _shifts32 = new int[padded];
            // Padded rows: m = 0 and shift 17 give (1 + 0) >> 1 = 0.
            for (int p = 0; p < padded; p++)
            {
                _rounding32[p] = 1;
                _shifts32[p] = 1;
            }
            for (int r = 0; r < matrix.Rows; r++)
            {
                int p = _w.PaddedRow(r);
                int shift = matrix.Shifts[r];
                _multipliers32[p] = matrix.Multipliers[r];
                _rounding32[p] = 1 << (shift - 17);
                _shifts32[p] = shift - 16;
            }
        }
    }

    /// <summary>
    /// Whether every row's (acc·m + 2^(s−1)) >> s can be done in int32 lanes (see <see cref="Scale32"/>):
    /// 17 ≤ s ≤ 46 keeps the rounding term 2^(s−17) ≤ 2^29, so nothing overflows.
    /// </summary>
    private static bool Int32Requantisable(QuantizedMatrix matrix)
    {
        for (int r = 0; r < matrix.Rows; r++)
        {
            if (matrix.Shifts[r] < 17 || matrix.Shifts[r] > 46) return false;
        }
        return true;
    }

    /// <summary>Whether this product requantises in int32 lanes (16 rows per operation) rather than int64.</summary>
    public bool Int32Requantisation => _multipliers32 != null;

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
            if (_multipliers32 != null)
            {
                for (int b = 0; b < w.Blocks; b++)
                {
                    Vector512<int> sums = InterleavedDot.Block512(weights, b, pairs, ref low);
                    Scale32(sums, b * Lanes).StoreUnsafe(ref output, (nuint)(b * Lanes));
                }
                return;
            }
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

    /// <summary>
    /// bias + clamp((acc·m + 2^(s−1)) >> s, ±MaxBias) exactly in int32, for 17 ≤ s ≤ 46 and 0 ≤ m < 2^15:
    /// with acc = 2^16·hi + lo (lo unsigned 16 bits) and 2^(s−1) = 2^16·2^(s−17), the floor division
    /// nests: (hi·m + 2^(s−17) + ((lo·m) >> 16)) >> (s − 16). |hi·m| ≤ 2^30 and lo·m &lt; 2^31.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<int> Scale32(Vector512<int> acc, int row)
    {
        Vector512<int> m = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_multipliers32!), (nuint)row);
        Vector512<int> high = Vector512.ShiftRightArithmetic(acc, 16) * m;
        Vector512<int> low = Vector512.ShiftRightLogical((acc & Vector512.Create(0xFFFF)) * m, 16);
        Vector512<int> sum = high + low + Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_rounding32!), (nuint)row);
        Vector512<int> scaled = Avx512F.ShiftRightArithmeticVariable(sum, Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_shifts32!), (nuint)row).AsUInt32());
        scaled = Vector512.Min(Vector512.Max(scaled, Vector512.Create(-ModelFormat.MaxBias)), Vector512.Create(ModelFormat.MaxBias));
        return scaled + Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_bias), (nuint)row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<int> Scale(Vector512<int> low, Vector512<int> high, bool split, int row)
    {
        int half = row / 2;
        Vector512<long> even = Parity(low, high, split, _multipliersEven, _roundingEven, _shiftsEven, half);
        Vector512<long> odd = Parity(Vector512.ShiftRightLogical(low.AsInt64(), 32).AsInt32(), Vector512.ShiftRightLogical(high.AsInt64(), 32).AsInt32(), split, _multipliersOdd, _roundingOdd, _shiftsOdd, half);
        // The clamped values fit 32 bits: even rows from the low halves, odd rows moved to the high halves.
        Vector512<long> both = Vector512.ConditionalSelect(Vector512.Create(0xFFFFFFFFL), even, Vector512.ShiftLeft(odd, 32));
        return both.AsInt32() + Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(_bias), (nuint)row);
    }

    /// <summary>The requantisation of the rows whose sums sit in the low 32 bits of each 64-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> Parity(Vector512<int> low, Vector512<int> high, bool split, long[] multipliers, long[] rounding, ulong[] shifts, int index)
    {
        Vector512<int> m = Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(multipliers), (nuint)index).AsInt32();
        // acc·m exactly: vpmuldq multiplies the sign-extended low halves of each 64-bit lane.
        Vector512<long> product = Avx512F.Multiply(low, m);
        if (split) product += Vector512.ShiftLeft(Avx512F.Multiply(high, m), 8);
        product += Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(rounding), (nuint)index);
        Vector512<long> scaled = Avx512F.ShiftRightArithmeticVariable(product, Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(shifts), (nuint)index));
        return Vector512.Min(Vector512.Max(scaled, Vector512.Create(-(long)ModelFormat.MaxBias)), Vector512.Create((long)ModelFormat.MaxBias));
    }
}
