using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Embedded.Accelerated;

/// <summary>
/// The few operations of the fused layer step that the cross-platform <c>Vector128</c>/<c>Vector256</c>
/// operators do not cover, for one vector width of int32 lanes (<typeparamref name="TV"/>). Everything
/// else (+, −, ×, &amp;, ^, &gt;&gt;, &lt;&lt;) is written once, generically, in <see cref="VectorRecurrentLayer{TV, TW}"/>
/// and <see cref="VectorActivation{TV, TW}"/>; the JIT specialises each width (a struct type argument)
/// and folds the <c>IsSupported</c> checks here, so x64 gets SSE/AVX2 and arm64 AdvSimd (NEON). Every
/// helper has a plain cross-platform fallback with the same result, lane for lane.
/// </summary>
internal interface IVectorWidth<TV>
    where TV : struct
{
    /// <summary>int32 lanes per vector (rows per block, units per gate chunk).</summary>
    static abstract int Count { get; }

    // The generic operators (the reference assemblies do not expose Vector128/256's operator interfaces).
    static abstract TV Add(TV a, TV b);
    static abstract TV Subtract(TV a, TV b);
    static abstract TV Multiply(TV a, TV b);
    static abstract TV And(TV a, TV b);
    static abstract TV Xor(TV a, TV b);
    static abstract TV ShiftLeft(TV a, int count);
    static abstract TV ShiftRightArithmetic(TV a, int count);
    static abstract TV ShiftRightLogical(TV a, int count);

    static abstract TV Load(ref int source, nuint index);
    static abstract void Store(TV value, ref int destination, nuint index);
    static abstract TV Create(int value);
    static abstract TV Min(TV a, TV b);
    static abstract TV Max(TV a, TV b);
    static abstract TV Abs(TV a);

    /// <summary>pmaddwd: lane i = w[2i]·x[2i] + w[2i+1]·x[2i+1] on the int16 halves of each int32 lane (wrapping like pmaddwd).</summary>
    static abstract TV MultiplyAddPairs(TV weights, TV pairs);

    /// <summary>Each lane shifted right arithmetically by its own count (0..31).</summary>
    static abstract TV ShiftRightVariable(TV value, TV counts);

    /// <summary>
    /// (acc >> 16)·m + (((acc &amp; 0xFFFF)·m) >> 16) for 0 ≤ m ≤ 32767, given m and m·2^16: on x64 one pmaddwd (the
    /// high int16 half of acc times m) and one pmulhuw (the unsigned low half times m, high 16 bits of the
    /// product) instead of two 32-bit multiplies and three shifts and masks.
    /// </summary>
    static abstract TV MultiplyHighLow(TV acc, TV m, TV mShifted);

    /// <summary>
    /// bias + clamp((acc·m + 2^(s−1)) >> s, ±MaxBias) in int64 lanes, acc = low + 2^8·high (high only when
    /// <paramref name="split"/>; the clamp only when <paramref name="clamp"/>: skipped where it cannot bite);
    /// m and bias from <paramref name="ints"/> (Count each), the rest from <paramref name="longs"/>
    /// (<see cref="Scale64Longs"/>).
    /// </summary>
    static abstract TV Scale64(TV low, TV high, bool split, bool clamp, ref int ints, ref long longs);

    /// <summary>
    /// The bias as <see cref="Scale64"/> reads it for a row with this shift: the bias itself, or (256-bit, when the
    /// clamp is skipped) less the low 32 bits of 2^63 >> s, which Scale64 then leaves in its result.
    /// </summary>
    static abstract int Scale64Bias(int bias, int shift, bool clamp);

    /// <summary>int64 values per row in <see cref="Scale64"/>'s table.</summary>
    static abstract int Scale64LongsPerRow { get; }

    /// <summary>
    /// The int64 parameters of one block (Count rows with these shifts s, rounding 2^(s−1), 0 when s = 0, and these
    /// multipliers) in the layout <see cref="Scale64"/> reads: Scale64LongsPerRow × Count values.
    /// </summary>
    static abstract void Scale64Longs(ReadOnlySpan<int> shifts, ReadOnlySpan<int> multipliers, Span<long> destination);

    /// <summary>table[index] per lane (indices in range).</summary>
    static abstract TV Gather(ref int table, TV index);

    /// <summary>
    /// T + ((D·frac + 2^(s−1)) >> s) per lane from a table entry T &lt;&lt; 16 | D (0 ≤ T ≤ 32767, 0 ≤ D ≤ 512) and frac = the
    /// low s bits of <paramref name="magnitude"/> (s ≤ 7). On x64 one pmaddwd of the entry with 2^s·2^16 + frac gives
    /// T·2^s + D·frac, whose rounded shift is the same (T·2^s is a multiple of 2^s); frac is already in the low half.
    /// </summary>
    static abstract TV Interpolate(TV entry, TV magnitude, int stepBits);

    /// <summary><paramref name="value"/> with the sign of <paramref name="sign"/> (value itself when sign is 0: the callers' values are 0 there).</summary>
    static abstract TV SignOf(TV value, TV sign);

    /// <summary>Count int16 values sign-extended to int32.</summary>
    static abstract TV LoadWidened(ref short source, nuint index);

    /// <summary>The lanes (each within int16) narrowed and stored as Count int16 values.</summary>
    static abstract void StoreNarrowed(TV value, ref short destination, nuint index);
}

/// <summary>128-bit vectors, 4 int32 lanes: SSE on x64, AdvSimd (NEON) on arm64. What the Raspberry Pi runs.</summary>
internal readonly struct Width128 : IVectorWidth<Vector128<int>>
{
    public static int Count => 4;

    public static bool Accelerated => Vector128.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Add(Vector128<int> a, Vector128<int> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Subtract(Vector128<int> a, Vector128<int> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Multiply(Vector128<int> a, Vector128<int> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> And(Vector128<int> a, Vector128<int> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> Xor(Vector128<int> a, Vector128<int> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> ShiftLeft(Vector128<int> a, int count) => a << count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> ShiftRightArithmetic(Vector128<int> a, int count) => a >> count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<int> ShiftRightLogical(Vector128<int> a, int count) => a >>> count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Load(ref int source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<int> value, ref int destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Create(int value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Min(Vector128<int> a, Vector128<int> b) => Vector128.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Max(Vector128<int> a, Vector128<int> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Abs(Vector128<int> a) => Vector128.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyAddPairs(Vector128<int> weights, Vector128<int> pairs)
    {
        if (Sse2.IsSupported) return Sse2.MultiplyAddAdjacent(weights.AsInt16(), pairs.AsInt16());
        if (AdvSimd.Arm64.IsSupported)
        {
            // smull + smull2 + addp: the products of lanes 0..3 and 4..7, then the sums of adjacent pairs.
            Vector128<int> low = AdvSimd.MultiplyWideningLower(weights.AsInt16().GetLower(), pairs.AsInt16().GetLower());
            Vector128<int> high = AdvSimd.MultiplyWideningUpper(weights.AsInt16(), pairs.AsInt16());
            return AdvSimd.Arm64.AddPairwise(low, high);
        }
        return ((weights << 16) >> 16) * ((pairs << 16) >> 16) + (weights >> 16) * (pairs >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> MultiplyHighLow(Vector128<int> acc, Vector128<int> m, Vector128<int> mShifted)
    {
        if (Sse2.IsSupported)
        {
            return Sse2.MultiplyAddAdjacent(acc.AsInt16(), mShifted.AsInt16()) + Sse2.MultiplyHigh(acc.AsUInt16(), m.AsUInt16()).AsInt32();
        }
        return (acc >> 16) * m + ((acc & Vector128.Create(0xFFFF)) * m >>> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> ShiftRightVariable(Vector128<int> value, Vector128<int> counts)
    {
        if (AdvSimd.IsSupported) return AdvSimd.ShiftArithmetic(value, -counts);
        if (Avx2.IsSupported) return Avx2.ShiftRightArithmeticVariable(value, counts.AsUInt32());
        return Vector128.Create(value.GetElement(0) >> counts.GetElement(0), value.GetElement(1) >> counts.GetElement(1),
            value.GetElement(2) >> counts.GetElement(2), value.GetElement(3) >> counts.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Scale64(Vector128<int> low, Vector128<int> high, bool split, bool clamp, ref int ints, ref long longs)
    {
        Vector128<int> m = Vector128.LoadUnsafe(ref ints);
        Vector128<long> p0, p1;
        if (AdvSimd.Arm64.IsSupported)
        {
            // smull / smull2: exact 32×32→64 products of lanes 0, 1 and 2, 3.
            p0 = AdvSimd.MultiplyWideningLower(low.GetLower(), m.GetLower());
            p1 = AdvSimd.MultiplyWideningUpper(low, m);
            if (split)
            {
                p0 += AdvSimd.MultiplyWideningLower(high.GetLower(), m.GetLower()) << 8;
                p1 += AdvSimd.MultiplyWideningUpper(high, m) << 8;
            }
        }
        else
        {
            (Vector128<long> m0, Vector128<long> m1) = Vector128.Widen(m);
            (Vector128<long> l0, Vector128<long> l1) = Vector128.Widen(low);
            p0 = MultiplyWide(l0, m0);
            p1 = MultiplyWide(l1, m1);
            if (split)
            {
                (Vector128<long> h0, Vector128<long> h1) = Vector128.Widen(high);
                p0 += MultiplyWide(h0, m0) << 8;
                p1 += MultiplyWide(h1, m1) << 8;
            }
        }
        p0 = ShiftRight64(p0 + Vector128.LoadUnsafe(ref longs), Vector128.LoadUnsafe(ref longs, 4));
        p1 = ShiftRight64(p1 + Vector128.LoadUnsafe(ref longs, 2), Vector128.LoadUnsafe(ref longs, 6));
        if (clamp)
        {
            p0 = Clamp(p0);
            p1 = Clamp(p1);
        }
        return Vector128.Narrow(p0, p1) + Vector128.LoadUnsafe(ref ints, 4);
    }

    public static int Scale64Bias(int bias, int shift, bool clamp) => bias;

    public static int Scale64LongsPerRow => 2;

    /// <summary>[rounding × 4][shift × 4].</summary>
    public static void Scale64Longs(ReadOnlySpan<int> shifts, ReadOnlySpan<int> multipliers, Span<long> destination)
    {
        for (int i = 0; i < 4; i++)
        {
            destination[i] = shifts[i] > 0 ? 1L << (shifts[i] - 1) : 0L;
            destination[4 + i] = shifts[i];
        }
    }

    /// <summary>Products of sign-extended int32 values in int64 lanes (pmuldq reads the low halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> MultiplyWide(Vector128<long> a, Vector128<long> b) =>
        Sse41.IsSupported ? Sse41.Multiply(a.AsInt32(), b.AsInt32()) : a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> ShiftRight64(Vector128<long> value, Vector128<long> counts)
    {
        if (AdvSimd.IsSupported) return AdvSimd.ShiftArithmetic(value, -counts);
        if (Avx2.IsSupported)
        {
            // No variable arithmetic shift of int64 before AVX-512: shift value + 2^63 logically, take 2^63 >> s back off.
            Vector128<ulong> top = Vector128.Create(0x8000_0000_0000_0000UL);
            return (Avx2.ShiftRightLogicalVariable(value.AsUInt64() ^ top, counts.AsUInt64()) - Avx2.ShiftRightLogicalVariable(top, counts.AsUInt64())).AsInt64();
        }
        return Vector128.Create(value.GetElement(0) >> (int)counts.GetElement(0), value.GetElement(1) >> (int)counts.GetElement(1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<long> Clamp(Vector128<long> value) =>
        Vector128.Min(Vector128.Max(value, Vector128.Create(-(long)Embedded.Shared.Model.ModelFormat.MaxBias)), Vector128.Create((long)Embedded.Shared.Model.ModelFormat.MaxBias));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Gather(ref int table, Vector128<int> index) =>
        // No gather on NEON: four scalar loads (x64's 128-bit path does the same, so it tests what arm64 runs).
        Vector128.Create(Unsafe.Add(ref table, index.GetElement(0)), Unsafe.Add(ref table, index.GetElement(1)),
            Unsafe.Add(ref table, index.GetElement(2)), Unsafe.Add(ref table, index.GetElement(3)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Interpolate(Vector128<int> entry, Vector128<int> magnitude, int stepBits)
    {
        if (Sse2.IsSupported)
        {
            Vector128<int> factor = (magnitude & Vector128.Create((1 << stepBits) - 1)) | Vector128.Create(1 << (stepBits + 16));
            return (Sse2.MultiplyAddAdjacent(entry.AsInt16(), factor.AsInt16()) + Vector128.Create(1 << (stepBits - 1))) >> stepBits;
        }
        Vector128<int> slope = (entry & Vector128.Create(0xFFFF)) * (magnitude & Vector128.Create((1 << stepBits) - 1));
        return (entry >> 16) + ((slope + Vector128.Create(1 << (stepBits - 1))) >> stepBits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> SignOf(Vector128<int> value, Vector128<int> sign)
    {
        if (Ssse3.IsSupported) return Ssse3.Sign(value, sign);
        Vector128<int> mask = sign >> 31;
        return (value ^ mask) - mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> LoadWidened(ref short source, nuint index) =>
        Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<short, byte>(ref Unsafe.Add(ref source, index)))).AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(Vector128<int> value, ref short destination, nuint index) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<short, byte>(ref Unsafe.Add(ref destination, index)), Vector128.Narrow(value, value).AsInt64().ToScalar());
}

/// <summary>256-bit vectors, 8 int32 lanes: AVX2 on x64 (arm64 has no 256-bit vectors and never picks it).</summary>
internal readonly struct Width256 : IVectorWidth<Vector256<int>>
{
    public static int Count => 8;

    public static bool Accelerated => Vector256.IsHardwareAccelerated && Avx2.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Add(Vector256<int> a, Vector256<int> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Subtract(Vector256<int> a, Vector256<int> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Multiply(Vector256<int> a, Vector256<int> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> And(Vector256<int> a, Vector256<int> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> Xor(Vector256<int> a, Vector256<int> b) => a ^ b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> ShiftLeft(Vector256<int> a, int count) => a << count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> ShiftRightArithmetic(Vector256<int> a, int count) => a >> count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<int> ShiftRightLogical(Vector256<int> a, int count) => a >>> count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(ref int source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<int> value, ref int destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Create(int value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Min(Vector256<int> a, Vector256<int> b) => Vector256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Max(Vector256<int> a, Vector256<int> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Abs(Vector256<int> a) => Vector256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyAddPairs(Vector256<int> weights, Vector256<int> pairs) =>
        Avx2.IsSupported
            ? Avx2.MultiplyAddAdjacent(weights.AsInt16(), pairs.AsInt16())
            : ((weights << 16) >> 16) * ((pairs << 16) >> 16) + (weights >> 16) * (pairs >> 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> MultiplyHighLow(Vector256<int> acc, Vector256<int> m, Vector256<int> mShifted) =>
        Avx2.IsSupported
            ? Avx2.MultiplyAddAdjacent(acc.AsInt16(), mShifted.AsInt16()) + Avx2.MultiplyHigh(acc.AsUInt16(), m.AsUInt16()).AsInt32()
            : (acc >> 16) * m + ((acc & Vector256.Create(0xFFFF)) * m >>> 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> ShiftRightVariable(Vector256<int> value, Vector256<int> counts) =>
        Avx2.IsSupported
            ? Avx2.ShiftRightArithmeticVariable(value, counts.AsUInt32())
            : Vector256.Create(Width128.ShiftRightVariable(value.GetLower(), counts.GetLower()), Width128.ShiftRightVariable(value.GetUpper(), counts.GetUpper()));

    /// <summary>
    /// Without the clamp Scale64 keeps the low 32 bits of the biased, logically shifted value: the result plus 2^63 >> s
    /// (exactly: value + 2^63 is non-negative, and 2^63 is a multiple of 2^s), whose low 32 bits, 2^(63 − s) mod 2^32
    /// (0 for s ≤ 31), come off with the bias instead of a 64-bit subtraction. Exact, because the result then fits
    /// within ±MaxBias (BlockRequantiser.ClampCanBite).
    /// </summary>
    public static int Scale64Bias(int bias, int shift, bool clamp) =>
        clamp ? bias : unchecked(bias - (int)(uint)(0x8000_0000_0000_0000UL >> shift));

    public static int Scale64LongsPerRow => 5;

    /// <summary>
    /// The even lanes' values, then the odd lanes' (the 64-bit products of lanes 0, 2, 4, 6 and of 1, 3, 5, 7 come
    /// from two vpmuldq, with no cross-lane widening): rounding + 2^63 (even, odd), s (even, odd), 2^63 >> s
    /// (even, odd); then the odd lanes' m, and m·2^8 (even, odd) for the high parts (int16 weights), each in the low
    /// half of an int64 lane, where vpmuldq reads it (no shifts of m per block); 4 unused. Scale64 shifts the biased
    /// value logically and takes 2^63 >> s back off: an arithmetic shift.
    /// </summary>
    public static void Scale64Longs(ReadOnlySpan<int> shifts, ReadOnlySpan<int> multipliers, Span<long> destination)
    {
        const ulong top = 0x8000_0000_0000_0000UL;
        for (int i = 0; i < 8; i++)
        {
            int s = shifts[i], at = i % 2 * 4 + i / 2;
            destination[at] = unchecked((long)((s > 0 ? 1UL << (s - 1) : 0UL) + top));
            destination[8 + at] = s;
            destination[16 + at] = unchecked((long)(top >> s));
            // 0 ≤ m ≤ 32767: m·2^8 fits the low half.
            if (i % 2 == 1) destination[24 + i / 2] = multipliers[i];
            destination[28 + at] = (long)multipliers[i] << 8;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Scale64(Vector256<int> low, Vector256<int> high, bool split, bool clamp, ref int ints, ref long longs)
    {
        if (!Avx2.IsSupported) return Scale64Scalar(low, high, split, clamp, ref ints, ref longs);
        // vpmuldq multiplies the low int32 of each int64 lane: the even lanes as they are, the odd ones shifted down.
        // acc·m = low·m + high·(m·2^8), each product exact in int64.
        Vector256<long> even = Avx2.Multiply(low, Vector256.LoadUnsafe(ref ints));
        Vector256<long> odd = Avx2.Multiply(Avx2.ShiftRightLogical(low.AsInt64(), 32).AsInt32(), Vector256.LoadUnsafe(ref longs, 24).AsInt32());
        if (split)
        {
            even += Avx2.Multiply(high, Vector256.LoadUnsafe(ref longs, 28).AsInt32());
            odd += Avx2.Multiply(Avx2.ShiftRightLogical(high.AsInt64(), 32).AsInt32(), Vector256.LoadUnsafe(ref longs, 32).AsInt32());
        }
        ref ulong p = ref Unsafe.As<long, ulong>(ref longs);
        even = Avx2.ShiftRightLogicalVariable(even.AsUInt64() + Vector256.LoadUnsafe(ref p), Vector256.LoadUnsafe(ref p, 8)).AsInt64();
        odd = Avx2.ShiftRightLogicalVariable(odd.AsUInt64() + Vector256.LoadUnsafe(ref p, 4), Vector256.LoadUnsafe(ref p, 12)).AsInt64();
        if (clamp)
        {
            // 2^63 >> s off (an arithmetic shift), then clamped; without the clamp the bias takes it off (Scale64Bias).
            even = Clamp(even - Vector256.LoadUnsafe(ref longs, 16));
            odd = Clamp(odd - Vector256.LoadUnsafe(ref longs, 20));
        }
        // The low int32 of each: even lanes in place, odd lanes shifted up.
        return Avx2.Blend(even.AsInt32(), Avx2.ShiftLeftLogical(odd, 32).AsInt32(), 0b1010_1010) + Vector256.LoadUnsafe(ref ints, 8);
    }

    /// <summary>Scale64 lane by lane from the same table (never runs where AVX2 is missing: Accelerated is false there).</summary>
    private static Vector256<int> Scale64Scalar(Vector256<int> low, Vector256<int> high, bool split, bool clamp, ref int ints, ref long longs)
    {
        Span<int> result = stackalloc int[8];
        for (int i = 0; i < 8; i++)
        {
            int at = i % 2 * 4 + i / 2;
            long acc = low.GetElement(i) + (split ? (long)high.GetElement(i) << 8 : 0L);
            long value = (acc * Unsafe.Add(ref ints, i) + unchecked(Unsafe.Add(ref longs, at) - long.MinValue)) >> (int)Unsafe.Add(ref longs, 8 + at);
            // Without the clamp the bias has the low 32 bits of 2^63 >> s taken off (Scale64Bias): put back.
            int bias = Unsafe.Add(ref ints, 8 + i) + (clamp ? 0 : (int)(uint)(ulong)Unsafe.Add(ref longs, 16 + at));
            result[i] = unchecked((int)Math.Clamp(value, -(long)Embedded.Shared.Model.ModelFormat.MaxBias, Embedded.Shared.Model.ModelFormat.MaxBias) + bias);
        }
        return Vector256.Create((ReadOnlySpan<int>)result);
    }

    /// <summary>Clamped to ±MaxBias: AVX2 has no int64 min/max, so compare and blend.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Clamp(Vector256<long> value)
    {
        Vector256<long> limit = Vector256.Create((long)Embedded.Shared.Model.ModelFormat.MaxBias), negative = -limit;
        value = Avx2.BlendVariable(value, limit, Avx2.CompareGreaterThan(value, limit));
        return Avx2.BlendVariable(value, negative, Avx2.CompareGreaterThan(negative, value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<int> Gather(ref int table, Vector256<int> index)
    {
        // The table lives on the pinned object heap (VectorActivation), so its address is stable.
        if (Avx2.IsSupported) return Avx2.GatherVector256((int*)Unsafe.AsPointer(ref table), index, 4);
        return Vector256.Create(Width128.Gather(ref table, index.GetLower()), Width128.Gather(ref table, index.GetUpper()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Interpolate(Vector256<int> entry, Vector256<int> magnitude, int stepBits)
    {
        if (Avx2.IsSupported)
        {
            Vector256<int> factor = (magnitude & Vector256.Create((1 << stepBits) - 1)) | Vector256.Create(1 << (stepBits + 16));
            return (Avx2.MultiplyAddAdjacent(entry.AsInt16(), factor.AsInt16()) + Vector256.Create(1 << (stepBits - 1))) >> stepBits;
        }
        Vector256<int> slope = (entry & Vector256.Create(0xFFFF)) * (magnitude & Vector256.Create((1 << stepBits) - 1));
        return (entry >> 16) + ((slope + Vector256.Create(1 << (stepBits - 1))) >> stepBits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> SignOf(Vector256<int> value, Vector256<int> sign)
    {
        if (Avx2.IsSupported) return Avx2.Sign(value, sign);
        Vector256<int> mask = sign >> 31;
        return (value ^ mask) - mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> LoadWidened(ref short source, nuint index) =>
        Vector256.WidenLower(Vector128.LoadUnsafe(ref source, index).ToVector256Unsafe());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreNarrowed(Vector256<int> value, ref short destination, nuint index) =>
        Vector256.Narrow(value, value).GetLower().StoreUnsafe(ref destination, index);
}
