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
        if (High == null)
        {
            // Span copy: a plain memmove (Array.Copy pays type checks that cost more than these few bytes).
            input.AsSpan(0, Cols).CopyTo(Low);
            return;
        }
        // Split straight from the caller's array, 16 or 8 values per vector load: a wider load of a copy just
        // written would straddle that store and stall (no store-to-load forwarding). The padded tail of
        // Low and High is never written and stays zero.
        if (input.Length < Cols) throw new ArgumentException("input needs " + Cols + " values", nameof(input));
        ref short x = ref MemoryMarshal.GetArrayDataReference(input);
        ref short low = ref MemoryMarshal.GetArrayDataReference(Low);
        ref short high = ref MemoryMarshal.GetArrayDataReference(High);
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // 16 values per vector where 256-bit vectors run natively (the hidden state at H = 32: 2 steps, not 4).
            for (; c + Vector256<short>.Count <= Cols; c += Vector256<short>.Count)
            {
                Vector256<short> v = Vector256.LoadUnsafe(ref x, (nuint)c);
                Vector256<short> h = Vector256.ShiftRightArithmetic(v, 8) + (Vector256.ShiftRightLogical(v, 7) & Vector256.Create((short)1));
                Vector256<short> l = Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(v, 8), 8);
                h.StoreUnsafe(ref high, (nuint)c);
                l.StoreUnsafe(ref low, (nuint)c);
            }
        }
        for (; c + Vector128<short>.Count <= Cols; c += Vector128<short>.Count)
        {
            Vector128<short> v = Vector128.LoadUnsafe(ref x, (nuint)c);
            // high = (x >> 8) + bit 7; low = the sign-extended low byte. No int16 overflow on the way.
            Vector128<short> h = Vector128.ShiftRightArithmetic(v, 8) + (Vector128.ShiftRightLogical(v, 7) & Vector128.Create((short)1));
            Vector128<short> l = Vector128.ShiftRightArithmetic(Vector128.ShiftLeft(v, 8), 8);
            h.StoreUnsafe(ref high, (nuint)c);
            l.StoreUnsafe(ref low, (nuint)c);
        }
        for (; c < Cols; c++)
        {
            int v = Unsafe.Add(ref x, c);
            Unsafe.Add(ref high, c) = (short)((v >> 8) + ((v >> 7) & 1));
            Unsafe.Add(ref low, c) = (short)(sbyte)v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref int PairsOf(short[] values) => ref Unsafe.As<short, int>(ref MemoryMarshal.GetArrayDataReference(values));
}
