using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Embedded.Accelerated;

/// <summary>
/// Row sums of one block of <see cref="InterleavedWeights"/>: per column pair, one broadcast of the input
/// pair and one pmaddwd per weight vector, accumulated vertically (lane = row). Sums are exact int32
/// (see <see cref="InputPairs"/> for the range argument).
/// </summary>
internal static class InterleavedDot
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Block512(sbyte[] weights, int block, int pairs, ref int x)
    {
        ref sbyte w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights), block * pairs * 32);
        Vector512<int> a0 = Vector512<int>.Zero, a1 = a0;
        int p = 0;
        // Two accumulators: the add chains of consecutive pairs run in parallel.
        for (; p + 2 <= pairs; p += 2)
        {
            Vector512<short> w0 = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref w, (nuint)(p * 32)));
            Vector512<short> w1 = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref w, (nuint)(p * 32 + 32)));
            a0 += Avx512BW.MultiplyAddAdjacent(w0, Vector512.Create(Unsafe.Add(ref x, p)).AsInt16());
            a1 += Avx512BW.MultiplyAddAdjacent(w1, Vector512.Create(Unsafe.Add(ref x, p + 1)).AsInt16());
        }
        if (p < pairs)
        {
            Vector512<short> w0 = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref w, (nuint)(p * 32)));
            a0 += Avx512BW.MultiplyAddAdjacent(w0, Vector512.Create(Unsafe.Add(ref x, p)).AsInt16());
        }
        return a0 + a1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block512(short[] weights, int block, int pairs, ref int xLow, ref int xHigh, out Vector512<int> low, out Vector512<int> high)
    {
        ref short w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights), block * pairs * 32);
        Vector512<int> l = Vector512<int>.Zero, h = l;
        for (int p = 0; p < pairs; p++)
        {
            Vector512<short> wv = Vector512.LoadUnsafe(ref w, (nuint)(p * 32));
            l += Avx512BW.MultiplyAddAdjacent(wv, Vector512.Create(Unsafe.Add(ref xLow, p)).AsInt16());
            h += Avx512BW.MultiplyAddAdjacent(wv, Vector512.Create(Unsafe.Add(ref xHigh, p)).AsInt16());
        }
        low = l;
        high = h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Block256(sbyte[] weights, int block, int pairs, ref int x)
    {
        ref sbyte w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights), block * pairs * 16);
        Vector256<int> a0 = Vector256<int>.Zero, a1 = a0;
        int p = 0;
        for (; p + 2 <= pairs; p += 2)
        {
            Vector256<short> w0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref w, (nuint)(p * 16)));
            Vector256<short> w1 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref w, (nuint)(p * 16 + 16)));
            a0 += Avx2.MultiplyAddAdjacent(w0, Vector256.Create(Unsafe.Add(ref x, p)).AsInt16());
            a1 += Avx2.MultiplyAddAdjacent(w1, Vector256.Create(Unsafe.Add(ref x, p + 1)).AsInt16());
        }
        if (p < pairs)
        {
            Vector256<short> w0 = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref w, (nuint)(p * 16)));
            a0 += Avx2.MultiplyAddAdjacent(w0, Vector256.Create(Unsafe.Add(ref x, p)).AsInt16());
        }
        return a0 + a1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block256(short[] weights, int block, int pairs, ref int xLow, ref int xHigh, out Vector256<int> low, out Vector256<int> high)
    {
        ref short w = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weights), block * pairs * 16);
        Vector256<int> l = Vector256<int>.Zero, h = l;
        for (int p = 0; p < pairs; p++)
        {
            Vector256<short> wv = Vector256.LoadUnsafe(ref w, (nuint)(p * 16));
            l += Avx2.MultiplyAddAdjacent(wv, Vector256.Create(Unsafe.Add(ref xLow, p)).AsInt16());
            h += Avx2.MultiplyAddAdjacent(wv, Vector256.Create(Unsafe.Add(ref xHigh, p)).AsInt16());
        }
        low = l;
        high = h;
    }
}
