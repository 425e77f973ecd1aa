using System.Runtime.CompilerServices;
using Embedded.Shared.Fixed;

namespace Embedded.Accelerated;

/// <summary>
/// <see cref="Activation"/> on the int32 lanes of any vector width, bit-exact: the table entry T[k] and
/// its slope T[k+1] − T[k] are packed into one int32 (the entry in the high half, the slope in the low half), so one gather (AVX2) or one
/// scalar load per lane (NEON) reads both. Indices stop at 512 as in the portable lookup.
/// </summary>
internal static class VectorActivation
{
    private const int Entries = 513;

    /// <summary>T[k] &lt;&lt; 16 | (T[k+1] − T[k]), on the pinned object heap (the AVX2 gather takes its address).</summary>
    private static readonly int[] Table = Build();

    private static int[] Build()
    {
        int[] table = GC.AllocateArray<int>(Entries, pinned: true);
        for (int k = 0; k < Entries; k++)
        {
            // Tanh at an exact table point (k·64 in Q12, no fraction) returns T[k]; past 512 it stays 32767.
            int value = Activation.Tanh(k * 64);
            // The slope is 0..512 and T[k] 0..32767: both halves are non-negative int16 values.
            table[k] = value << 16 | (Activation.Tanh((k + 1) * 64) - value);
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
    public static TV Tanh(TV x) => Tanh(x, ref VectorActivation.Start);

    /// <summary>sigmoid of Q12 lanes, Q15 results: (1 + tanh(x / 2)) / 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid(TV x) => Sigmoid(x, ref VectorActivation.Start);

    /// <summary>
    /// <see cref="Tanh(TV)"/> with the table (<see cref="VectorActivation.Start"/>) passed in: a loop that takes it
    /// once keeps its address in a register (read from the static field, it is loaded again on every iteration).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh(TV x, ref int table) => TW.SignOf(Lookup(x, 6, ref table), x);

    /// <summary><see cref="Sigmoid(TV)"/> with the table passed in (see <see cref="Tanh(TV, ref int)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid(TV x, ref int table) => TW.ShiftRightArithmetic(TW.Add(TW.SignOf(Lookup(x, 7, ref table), x), TW.Create(Activation.OneQ15)), 1);

    /// <summary>T[k] + ((D[k]·frac + 2^(s−1)) >> s) for the magnitude |x| (as unsigned: |int.MinValue| = 2^31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Lookup(TV x, int stepBits, ref int table)
    {
        TV magnitude = TW.Abs(x);
        TV k = TW.Min(TW.ShiftRightLogical(magnitude, stepBits), TW.Create(512));
        return TW.Interpolate(TW.Gather(ref table, k), magnitude, stepBits);
    }
}
