using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// x64 kernel: pmaddwd (16 int16 products summed pairwise into 8 int32 lanes) over padded rows, four rows
/// at a time so that one horizontal reduction serves four sums.
/// </summary>
internal sealed class Avx2MatVec : IMatVec
{
    private readonly PackedWeights _w;

    public Avx2MatVec(QuantizedMatrix matrix)
    {
        _w = new PackedWeights(matrix, Vector256<short>.Count);
    }

    public void Multiply(short[] input, long[] accumulators)
    {
        var w = _w;
        short[] x = w.Input;
        Array.Copy(input, x, w.Cols);
        ref short xRef = ref MemoryMarshal.GetArrayDataReference(x);
        ref short lowRef = ref MemoryMarshal.GetArrayDataReference(w.Low);
        int stride = w.Stride, rows = w.Rows;
        if (w.High == null)
        {
            int r = 0;
            for (; r + 4 <= rows; r += 4)
            {
                Vector128<int> sums = Dot4(ref lowRef, r * stride, stride, 0, stride, ref xRef);
                accumulators[r] = sums.GetElement(0);
                accumulators[r + 1] = sums.GetElement(1);
                accumulators[r + 2] = sums.GetElement(2);
                accumulators[r + 3] = sums.GetElement(3);
            }
            for (; r < rows; r++) accumulators[r] = Dot1(ref lowRef, r * stride, 0, stride, ref xRef);
            return;
        }

        ref short highRef = ref MemoryMarshal.GetArrayDataReference(w.High);
        int block = PackedWeights.BlockColumns;
        int row = 0;
        for (; row + 4 <= rows; row += 4)
        {
            long a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (int start = 0; start < stride; start += block)
            {
                int end = Math.Min(stride, start + block);
                Vector128<int> low = Dot4(ref lowRef, row * stride, stride, start, end, ref xRef);
                Vector128<int> high = Dot4(ref highRef, row * stride, stride, start, end, ref xRef);
                a0 += ((long)high.GetElement(0) << 8) + low.GetElement(0);
                a1 += ((long)high.GetElement(1) << 8) + low.GetElement(1);
                a2 += ((long)high.GetElement(2) << 8) + low.GetElement(2);
                a3 += ((long)high.GetElement(3) << 8) + low.GetElement(3);
            }
            accumulators[row] = a0;
            accumulators[row + 1] = a1;
            accumulators[row + 2] = a2;
            accumulators[row + 3] = a3;
        }
        for (; row < rows; row++)
        {
            long a = 0;
            for (int start = 0; start < stride; start += block)
            {
                int end = Math.Min(stride, start + block);
                a += ((long)Dot1(ref highRef, row * stride, start, end, ref xRef) << 8) + Dot1(ref lowRef, row * stride, start, end, ref xRef);
            }
            accumulators[row] = a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Dot4(ref short weights, int offset, int stride, int start, int end, ref short x)
    {
        Vector256<int> s0 = Vector256<int>.Zero, s1 = s0, s2 = s0, s3 = s0;
        for (int c = start; c < end; c += 16)
        {
            Vector256<short> xv = Vector256.LoadUnsafe(ref x, (nuint)c);
            s0 = Avx2.Add(s0, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref weights, (nuint)(offset + c)), xv));
            s1 = Avx2.Add(s1, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref weights, (nuint)(offset + stride + c)), xv));
            s2 = Avx2.Add(s2, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref weights, (nuint)(offset + 2 * stride + c)), xv));
            s3 = Avx2.Add(s3, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref weights, (nuint)(offset + 3 * stride + c)), xv));
        }
        // Pairwise horizontal adds gather the four row sums into one vector.
        Vector256<int> h = Avx2.HorizontalAdd(Avx2.HorizontalAdd(s0, s1), Avx2.HorizontalAdd(s2, s3));
        return Sse2.Add(h.GetLower(), h.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dot1(ref short weights, int offset, int start, int end, ref short x)
    {
        Vector256<int> s = Vector256<int>.Zero;
        for (int c = start; c < end; c += 16)
        {
            s = Avx2.Add(s, Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref weights, (nuint)(offset + c)), Vector256.LoadUnsafe(ref x, (nuint)c)));
        }
        return Vector256.Sum(s);
    }
}
