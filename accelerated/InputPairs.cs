using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Embedded.Accelerated;

/// <summary>
/// The input vector as int16 pairs ready to broadcast, zero-padded to whole vectors. For int16 weights
/// each input is split as x = 256·high + low (low in [-128, 127], high in [-128, 128]): every product
/// is then at most 32767·128, so a row sum of up to 512 columns fits an int32 exactly, and the exact
/// total is 256·Σhigh + Σlow in 64 bits.
/// </summary>
internal sealed class InputPairs
{
    public InputPairs(int cols, bool split)
    {
        Cols = cols;
        int padded = (cols + 31) / 32 * 32;
        Low = new short[padded];
        if (split) High = new short[padded];
    }

    public int Cols { get; }
    /// <summary>The input itself (int8 weights) or its low parts (int16 weights).</summary>
    public short[] Low { get; }
    /// <summary>High parts (int16 weights), or null.</summary>
    public short[]? High { get; }

    public void Load(short[] input)
    {
        // Span copy: a plain memmove (Array.Copy pays type checks that cost more than these few bytes).
        input.AsSpan(0, Cols).CopyTo(Low);
        if (High == null) return;
        short[] low = Low, high = High;
        for (int c = 0; c < low.Length; c += Vector256<short>.Count)
        {
            Vector256<short> x = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(low), (nuint)c);
            // high = (x >> 8) + bit 7; low = the sign-extended low byte. No int16 overflow on the way.
            Vector256<short> h = Vector256.ShiftRightArithmetic(x, 8) + (Vector256.ShiftRightLogical(x, 7) & Vector256.Create((short)1));
            Vector256<short> l = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(x, 8), 8);
            h.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(high), (nuint)c);
            l.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(low), (nuint)c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref int PairsOf(short[] values) => ref Unsafe.As<short, int>(ref MemoryMarshal.GetArrayDataReference(values));
}
