using System.Runtime.CompilerServices;
using Embedded.Shared.Fixed;

namespace Embedded.Accelerated;

/// <summary>
/// <see cref="Activation"/> on the int32 lanes of any vector width, bit-exact: the table entry T[k] and
/// its slope T[k+1] − T[k] are packed into one int32 (slope in the high half), so one gather (AVX2) or one
/// scalar load per lane (NEON) reads both. Indices stop at 512 as in the portable lookup.
/// </summary>
internal static class VectorActivation
{
    private const int Entries = 513;

    /// <summary>T[k] | (T[k+1] − T[k]) &lt;&lt; 16, on the pinned object heap (the AVX2 gather takes its address).</summary>
    private static readonly int[] Table = Build();

    private static int[] Build()
    {
        int[] table = GC.AllocateArray<int>(Entries, pinned: true);
        for (int k = 0; k < Entries; k++)
        {
            // Tanh at an exact table point (k·64 in Q12, no fraction) returns T[k]; past 512 it stays 32767.
            int value = Activation.Tanh(k * 64);
            table[k] = value | ((Activation.Tanh((k + 1) * 64) - value) << 16);
        }
        return table;
    }

    public static ref int Start
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(Table);
    }
}

/// <summary>The vector lookups of <see cref="VectorActivation"/> for one width.</summary>
internal static class VectorActivation<TV, TW>
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    /// <summary>tanh of Q12 lanes, Q15 results.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh(TV x)
    {
        TV sign = TW.ShiftRightArithmetic(x, 31);
        return TW.Subtract(TW.Xor(Lookup(x, 6), sign), sign);
    }

    /// <summary>sigmoid of Q12 lanes, Q15 results: (1 + tanh(x / 2)) / 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid(TV x)
    {
        TV sign = TW.ShiftRightArithmetic(x, 31);
        return TW.ShiftRightArithmetic(TW.Add(TW.Subtract(TW.Xor(Lookup(x, 7), sign), sign), TW.Create(Activation.OneQ15)), 1);
    }

    /// <summary>T[k] + ((D[k]·frac + 2^(s−1)) >> s) for the magnitude |x| (as unsigned: |int.MinValue| = 2^31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Lookup(TV x, int stepBits)
    {
        TV magnitude = TW.Abs(x);
        TV k = TW.Min(TW.ShiftRightLogical(magnitude, stepBits), TW.Create(512));
        TV entry = TW.Gather(ref VectorActivation.Start, k);
        TV frac = TW.And(magnitude, TW.Create((1 << stepBits) - 1));
        TV slope = TW.Multiply(TW.ShiftRightArithmetic(entry, 16), frac);
        return TW.Add(TW.And(entry, TW.Create(0xFFFF)), TW.ShiftRightArithmetic(TW.Add(slope, TW.Create(1 << (stepBits - 1))), stepBits));
    }
}
