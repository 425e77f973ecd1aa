using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Fixed;

namespace Embedded.Accelerated;

/// <summary>
/// <see cref="Activation"/> on 32 lanes at once, bit-exact, with the table held in registers instead of
/// gathered: |x| is narrowed to 16-bit lanes, and the table entry T[k] and slope T[k+1] − T[k] are picked
/// by <c>vpermi2w</c> from six pairs of 64 entries (k &lt; 384; from k = 342 on the table is 32767 with
/// slope 0, so every larger index reads entry 383); when all 32 indices are below 128 only the first two pairs
/// are read. The interpolation fits 16 bits: slope ≤ 512 and
/// fraction &lt; 128 give a product below 2^16.
/// </summary>
internal static class PermutedActivation
{
    private const int Entries = 384;
    private static readonly Vector512<short> T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11;
    private static readonly Vector512<short> D0, D1, D2, D3, D4, D5, D6, D7, D8, D9, D10, D11;

    static PermutedActivation()
    {
        var t = new short[Entries];
        var d = new short[Entries];
        for (int k = 0; k < Entries; k++)
        {
            // Tanh at an exact table point (k·64 in Q12, no fraction) returns T[k].
            int value = Activation.Tanh(k * 64);
            t[k] = (short)value;
            d[k] = (short)(Activation.Tanh((k + 1) * 64) - value);
        }
        T0 = Part(t, 0); T1 = Part(t, 1); T2 = Part(t, 2); T3 = Part(t, 3); T4 = Part(t, 4); T5 = Part(t, 5);
        T6 = Part(t, 6); T7 = Part(t, 7); T8 = Part(t, 8); T9 = Part(t, 9); T10 = Part(t, 10); T11 = Part(t, 11);
        D0 = Part(d, 0); D1 = Part(d, 1); D2 = Part(d, 2); D3 = Part(d, 3); D4 = Part(d, 4); D5 = Part(d, 5);
        D6 = Part(d, 6); D7 = Part(d, 7); D8 = Part(d, 8); D9 = Part(d, 9); D10 = Part(d, 10); D11 = Part(d, 11);
    }

    private static Vector512<short> Part(short[] values, int i) => Vector512.Create(values.AsSpan(i * 32, 32));

    /// <summary>Whether this machine has the instructions (AVX-512BW).</summary>
    public static bool Supported => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>tanh of 32 Q12 values (two vectors of 16), Q15 results.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tanh(Vector512<int> x0, Vector512<int> x1, out Vector512<int> y0, out Vector512<int> y1)
    {
        Vector512<ushort> y = Lookup(Magnitude(x0, x1), 6);
        Vector512<int> s0 = Vector512.ShiftRightArithmetic(x0, 31), s1 = Vector512.ShiftRightArithmetic(x1, 31);
        // Negate where x < 0: (y ^ m) - m with m = x >> 31.
        y0 = (Avx512BW.ConvertToVector512Int32(y.GetLower()) ^ s0) - s0;
        y1 = (Avx512BW.ConvertToVector512Int32(y.GetUpper()) ^ s1) - s1;
    }

    /// <summary>sigmoid of 32 Q12 values, Q15 results: (1 + tanh(x / 2)) / 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sigmoid(Vector512<int> x0, Vector512<int> x1, out Vector512<int> y0, out Vector512<int> y1)
    {
        Vector512<ushort> y = Lookup(Magnitude(x0, x1), 7);
        Vector512<int> s0 = Vector512.ShiftRightArithmetic(x0, 31), s1 = Vector512.ShiftRightArithmetic(x1, 31);
        Vector512<int> one = Vector512.Create(Activation.OneQ15);
        y0 = Vector512.ShiftRightArithmetic(((Avx512BW.ConvertToVector512Int32(y.GetLower()) ^ s0) - s0) + one, 1);
        y1 = Vector512.ShiftRightArithmetic(((Avx512BW.ConvertToVector512Int32(y.GetUpper()) ^ s1) - s1) + one, 1);
    }

    /// <summary>min(|x|, 65535) in 16-bit lanes (anything that large is past the table end for both step sizes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ushort> Magnitude(Vector512<int> x0, Vector512<int> x1)
    {
        // |int.MinValue| stays 2^31 as unsigned, which the unsigned min also clamps.
        Vector512<uint> a0 = Vector512.Min(Vector512.Abs(x0).AsUInt32(), Vector512.Create(65535u));
        Vector512<uint> a1 = Vector512.Min(Vector512.Abs(x1).AsUInt32(), Vector512.Create(65535u));
        return Vector512.Create(Avx512F.ConvertToVector256UInt16(a0), Avx512F.ConvertToVector256UInt16(a1));
    }

    /// <summary>T[k] + ((D[k]·frac + 2^(s−1)) >> s) with k = a >> s, for 16-bit magnitudes a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ushort> Lookup(Vector512<ushort> a, int stepBits)
    {
        Vector512<short> k = Vector512.Min(Vector512.ShiftRightLogical(a, stepBits), Vector512.Create((ushort)(Entries - 1))).AsInt16();
        Vector512<ushort> frac = a & Vector512.Create((ushort)((1 << stepBits) - 1));
        // vpermi2w reads bits 0..5 of k (bit 5 picks the register of the pair); bits 6, 7, 8 pick the pair.
        Vector512<short> b6 = Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(k, 9), 15);
        Vector512<short> t, d;
        if (Vector512.GreaterThanAny(k, Vector512.Create((short)127)))
        {
            Vector512<short> b7 = Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(k, 8), 15);
            Vector512<short> b8 = Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(k, 7), 15);
            t = Select(b6, b7, b8,
            Avx512BW.PermuteVar32x16x2(T0, k, T1), Avx512BW.PermuteVar32x16x2(T2, k, T3), Avx512BW.PermuteVar32x16x2(T4, k, T5),
            Avx512BW.PermuteVar32x16x2(T6, k, T7), Avx512BW.PermuteVar32x16x2(T8, k, T9), Avx512BW.PermuteVar32x16x2(T10, k, T11));
            d = Select(b6, b7, b8,
            Avx512BW.PermuteVar32x16x2(D0, k, D1), Avx512BW.PermuteVar32x16x2(D2, k, D3), Avx512BW.PermuteVar32x16x2(D4, k, D5),
            Avx512BW.PermuteVar32x16x2(D6, k, D7), Avx512BW.PermuteVar32x16x2(D8, k, D9), Avx512BW.PermuteVar32x16x2(D10, k, D11));
        }
        else
        {
            // Every index below 128 (|x| below 2 for tanh, 4 for sigmoid, the common case): the first two
            // pairs only, 4 permutes and 2 selects instead of 12 and 10 (LSTM H = 32 step about 7 % faster).
            t = Vector512.ConditionalSelect(b6, Avx512BW.PermuteVar32x16x2(T2, k, T3), Avx512BW.PermuteVar32x16x2(T0, k, T1));
            d = Vector512.ConditionalSelect(b6, Avx512BW.PermuteVar32x16x2(D2, k, D3), Avx512BW.PermuteVar32x16x2(D0, k, D1));
        }
        return t.AsUInt16() + Vector512.ShiftRightLogical(d.AsUInt16() * frac + Vector512.Create((ushort)(1 << (stepBits - 1))), stepBits);
    }

    /// <summary>Pair p = k >> 6 (0..5) of the six candidates, by bits 6, 7 and 8 of k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Select(Vector512<short> b6, Vector512<short> b7, Vector512<short> b8,
        Vector512<short> p0, Vector512<short> p1, Vector512<short> p2, Vector512<short> p3, Vector512<short> p4, Vector512<short> p5) =>
        Vector512.ConditionalSelect(b8, Vector512.ConditionalSelect(b6, p5, p4),
            Vector512.ConditionalSelect(b7, Vector512.ConditionalSelect(b6, p3, p2), Vector512.ConditionalSelect(b6, p1, p0)));
}
