using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// The portable <c>RowScale</c> arithmetic on the 16 row sums of one block, bias included:
/// bias + clamp((acc·m + 2^(s−1)) >> s, ±MaxBias). int32 lanes when every row's shift allows it
/// (<see cref="Scale32"/>, int8 weights), else 8 int64 lanes per instruction on the even and the odd rows.
/// Rows are addressed by their padded index; padded rows have zero scale and bias, so they give 0.
/// </summary>
internal sealed class BlockRequantiser
{
    private const int Lanes = 16;
    // The int64 requantisation: per block of 16 rows, 7 vectors of 8 longs back to back (one stream for
    // the loads): the even rows' multipliers, the odd rows', then the rounding terms and the shifts the same
    // way, then the 16 int32 biases. Split by parity so that vpmuldq on the int32 sums (even rows in the
    // low halves of the 64-bit lanes) needs no widening.
    private const int Block64Longs = 7 * 8;
    private readonly AlignedBuffer<long> _params64;
    // The int32 requantisation (every row's shift in [17, 46]): per block of 16 rows, 16 multipliers,
    // 16 rounding terms, 16 shifts and 16 biases back to back (one stream for the loads).
    private readonly AlignedBuffer<int>? _params32;
    // Whether the ±MaxBias clamp can bite: false when no row's sum can scale past it for any input.
    private readonly bool _clamp;

    /// <param name="paddedRow">Where source row r lives after padding.</param>
    public BlockRequantiser(QuantizedMatrix matrix, int[] bias, int paddedRows, Func<int, int> paddedRow, bool allowInt32)
    {
        _params64 = new AlignedBuffer<long>(paddedRows / Lanes * Block64Longs);
        Span<long> params64 = _params64.Span;
        Span<int> biases = MemoryMarshal.Cast<long, int>(params64);
        for (int r = 0; r < matrix.Rows; r++)
        {
            int p = paddedRow(r);
            int shift = matrix.Shifts[r];
            // Vector v of the block holds 8 values: v = 0/1 multipliers, 2/3 rounding, 4/5 shifts (even/odd).
            int block = p / Lanes * Block64Longs, parity = p & 1, k = p % Lanes / 2;
            params64[block + parity * 8 + k] = matrix.Multipliers[r];
            params64[block + (2 + parity) * 8 + k] = shift > 0 ? 1L << (shift - 1) : 0L;
            params64[block + (4 + parity) * 8 + k] = shift;
            biases[(block + 6 * 8) * 2 + p % Lanes] = bias[r];
        }
        _clamp = ClampCanBite(matrix);
        if (allowInt32 && Int32Requantisable(matrix))
        {
            _params32 = new AlignedBuffer<int>(paddedRows * 4);
            for (int p = 0; p < paddedRows; p++)
            {
                // Padded rows: m = 0, rounding 1 and shift 1 give (1 + 0) >> 1 = 0.
                _params32[Param(p, 1)] = 1;
                _params32[Param(p, 2)] = 1;
            }
            for (int r = 0; r < matrix.Rows; r++)
            {
                int p = paddedRow(r);
                int shift = matrix.Shifts[r];
                _params32[Param(p, 0)] = matrix.Multipliers[r];
                _params32[Param(p, 1)] = 1 << (shift - 17);
                _params32[Param(p, 2)] = shift - 16;
                _params32[Param(p, 3)] = bias[r];
            }
        }
    }

    /// <summary>Index of parameter k (multiplier, rounding, shift, bias) of padded row p in the int32 stream.</summary>
    private static int Param(int p, int k) => (p / Lanes * 4 + k) * Lanes + p % Lanes;

    /// <summary>
    /// Whether some row's scaled sum can pass ±MaxBias: |acc| ≤ Σ|w|·32768 for any int16 input, and
    /// the rounded shift is monotonic in acc, so its values at ±bound decide it.
    /// </summary>
    internal static bool ClampCanBite(QuantizedMatrix matrix)
    {
        for (int r = 0; r < matrix.Rows; r++)
        {
            long sum = 0;
            for (int c = 0; c < matrix.Cols; c++) sum += Math.Abs(matrix.Weight(r, c));
            int shift = matrix.Shifts[r];
            // ≤ 2^9·2^15·2^15·2^15 = 2^54: no overflow.
            long bound = sum * 32768L * matrix.Multipliers[r];
            long rounding = shift > 0 ? 1L << (shift - 1) : 0L;
            if ((bound + rounding) >> shift > ModelFormat.MaxBias || (rounding - bound) >> shift < -ModelFormat.MaxBias) return true;
        }
        return false;
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
    public bool Int32 => _params32 != null;

    /// <summary>
    /// bias + clamp((acc·m + 2^(s−1)) >> s, ±MaxBias) exactly in int32 for one block (<paramref name="block"/>
    /// from <see cref="Block32"/>), for 17 ≤ s ≤ 46 and 0 ≤ m < 2^15:
    /// with acc = 2^16·hi + lo (lo unsigned 16 bits) and 2^(s−1) = 2^16·2^(s−17), the floor division
    /// nests: (hi·m + 2^(s−17) + ((lo·m) >> 16)) >> (s − 16). |hi·m| ≤ 2^30 and lo·m &lt; 2^31.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Scale32(Vector512<int> acc, ref int block, bool clamp)
    {
        Vector512<int> m = Vector512.LoadUnsafe(ref block);
        Vector512<int> high = Vector512.ShiftRightArithmetic(acc, 16) * m;
        Vector512<int> low = Vector512.ShiftRightLogical((acc & Vector512.Create(0xFFFF)) * m, 16);
        Vector512<int> sum = high + low + Vector512.LoadUnsafe(ref block, Lanes);
        Vector512<int> scaled = Avx512F.ShiftRightArithmeticVariable(sum, Vector512.LoadUnsafe(ref block, 2 * Lanes).AsUInt32());
        if (clamp) scaled = Vector512.Min(Vector512.Max(scaled, Vector512.Create(-ModelFormat.MaxBias)), Vector512.Create(ModelFormat.MaxBias));
        return scaled + Vector512.LoadUnsafe(ref block, 3 * Lanes);
    }

    /// <summary>
    /// The int32 parameters of the block of rows from <paramref name="row"/> on, for <see cref="Scale32"/>
    /// (only when <see cref="Int32"/>). Taken once per pass, so that the loop reads no fields.
    /// </summary>
    public ref int Block32(int row) => ref Unsafe.Add(ref _params32!.Start, row * 4);

    /// <summary>Ints from one block's int32 parameters to the next's (multiplier, rounding, shift, bias × 16 rows).</summary>
    public const int Block32Step = Lanes * 4;

    /// <summary>Whether the ±MaxBias clamp can bite for this matrix (else it is skipped).</summary>
    public bool Clamp => _clamp;

    /// <summary>The int64 parameters of the block of rows from <paramref name="row"/> on, for <see cref="Scale64"/>.</summary>
    public ref long Block64(int row) => ref Unsafe.Add(ref _params64.Start, row / Lanes * Block64Longs);

    /// <summary>Longs from one block's int64 parameters to the next's.</summary>
    public const int Block64Step = Block64Longs;

    /// <summary>
    /// bias + clamp((acc·m + 2^(s−1)) >> s, ±MaxBias) in int64 lanes for one block (<paramref name="block"/>
    /// from <see cref="Block64"/>); with <paramref name="split"/>, acc = low + 2^8·high (int16 weights).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Scale64(Vector512<int> low, Vector512<int> high, bool split, ref long block, bool clamp)
    {
        Vector512<long> even = Parity(low, high, split, clamp, ref block);
        Vector512<long> odd = Parity(Vector512.ShiftRightLogical(low.AsInt64(), 32).AsInt32(), Vector512.ShiftRightLogical(high.AsInt64(), 32).AsInt32(), split, clamp, ref Unsafe.Add(ref block, 8));
        // The clamped values fit 32 bits: even rows from the low halves, odd rows moved to the high halves.
        Vector512<long> both = Vector512.ConditionalSelect(Vector512.Create(0xFFFFFFFFL), even, Vector512.ShiftLeft(odd, 32));
        return both.AsInt32() + Vector512.LoadUnsafe(ref block, 6 * 8).AsInt32();
    }

    /// <summary>The requantisation of the rows whose sums sit in the low 32 bits of each 64-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> Parity(Vector512<int> low, Vector512<int> high, bool split, bool clamp, ref long parameters)
    {
        Vector512<int> m = Vector512.LoadUnsafe(ref parameters).AsInt32();
        // acc·m exactly: vpmuldq multiplies the sign-extended low halves of each 64-bit lane.
        Vector512<long> product = Avx512F.Multiply(low, m);
        if (split) product += Vector512.ShiftLeft(Avx512F.Multiply(high, m), 8);
        product += Vector512.LoadUnsafe(ref parameters, 2 * 8);
        Vector512<long> scaled = Avx512F.ShiftRightArithmeticVariable(product, Vector512.LoadUnsafe(ref parameters, 4 * 8).AsUInt64());
        return clamp ? Vector512.Min(Vector512.Max(scaled, Vector512.Create(-(long)ModelFormat.MaxBias)), Vector512.Create((long)ModelFormat.MaxBias)) : scaled;
    }
}
