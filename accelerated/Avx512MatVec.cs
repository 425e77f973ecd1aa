using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// AVX-512BW kernel for wide rows: vpmaddwd on 32 int16 lanes, four rows at a time. Used when a row
/// spans more than one 256-bit vector; narrow matrices stay on <see cref="Avx2MatVec"/>.
/// </summary>
internal sealed class Avx512MatVec : IMatVec
{
    private readonly PackedWeights _w;

    public Avx512MatVec(QuantizedMatrix matrix)
    {
        _w = new PackedWeights(matrix, Vector512<short>.Count);
    }

    /// <summary>Whether this kernel pays off for a matrix on this machine.</summary>
    public static bool Suits(QuantizedMatrix matrix) => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated && matrix.Cols > Vector256<short>.Count;

    public void Multiply(short[] input, long[] accumulators)
    {
        var w = _w;
        short[] x = w.Input;
        Array.Copy(input, x, w.Cols);
        ref short xRef = ref MemoryMarshal.GetArrayDataReference(x);
        ref short lowRef = ref MemoryMarshal.GetArrayDataReference(w.Low);
        int stride = w.Stride, rows = w.Rows;
        // int8 rows fit an int32 whole; split int16 rows are summed in blocks (see PackedWeights).
        int block = w.High == null ? stride : PackedWeights.BlockColumns;
        int row = 0;
        for (; row + 4 <= rows; row += 4)
        {
            long a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (int start = 0; start < stride; start += block)
            {
                int end = Math.Min(stride, start + block);
                Vector128<int> low = Dot4(ref lowRef, row * stride, stride, start, end, ref xRef);
                a0 += low.GetElement(0);
                a1 += low.GetElement(1);
                a2 += low.GetElement(2);
                a3 += low.GetElement(3);
                if (w.High != null)
                {
                    Vector128<int> high = Dot4(ref MemoryMarshal.GetArrayDataReference(w.High), row * stride, stride, start, end, ref xRef);
                    a0 += (long)high.GetElement(0) << 8;
                    a1 += (long)high.GetElement(1) << 8;
                    a2 += (long)high.GetElement(2) << 8;
                    a3 += (long)high.GetElement(3) << 8;
                }
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
                a += Dot1(ref lowRef, row * stride, start, end, ref xRef);
                if (w.High != null) a += (long)Dot1(ref MemoryMarshal.GetArrayDataReference(w.High), row * stride, start, end, ref xRef) << 8;
            }
            accumulators[row] = a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Dot4(ref short weights, int offset, int stride, int start, int end, ref short x)
    {
        Vector512<int> s0 = Vector512<int>.Zero, s1 = s0, s2 = s0, s3 = s0;
        for (int c = start; c < end; c += 32)
        {
            Vector512<short> xv = Vector512.LoadUnsafe(ref x, (nuint)c);
            s0 = Avx512F.Add(s0, Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref weights, (nuint)(offset + c)), xv));
            s1 = Avx512F.Add(s1, Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref weights, (nuint)(offset + stride + c)), xv));
            s2 = Avx512F.Add(s2, Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref weights, (nuint)(offset + 2 * stride + c)), xv));
            s3 = Avx512F.Add(s3, Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref weights, (nuint)(offset + 3 * stride + c)), xv));
        }
        // Fold each 512-bit sum to 256 bits, then gather the four row sums with horizontal adds.
        Vector256<int> t0 = Avx2.Add(s0.GetLower(), s0.GetUpper());
        Vector256<int> t1 = Avx2.Add(s1.GetLower(), s1.GetUpper());
        Vector256<int> t2 = Avx2.Add(s2.GetLower(), s2.GetUpper());
        Vector256<int> t3 = Avx2.Add(s3.GetLower(), s3.GetUpper());
        Vector256<int> h = Avx2.HorizontalAdd(Avx2.HorizontalAdd(t0, t1), Avx2.HorizontalAdd(t2, t3));
        return Sse2.Add(h.GetLower(), h.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dot1(ref short weights, int offset, int start, int end, ref short x)
    {
        Vector512<int> s = Vector512<int>.Zero;
        for (int c = start; c < end; c += 32)
        {
            s = Avx512F.Add(s, Avx512BW.MultiplyAddAdjacent(Vector512.LoadUnsafe(ref weights, (nuint)(offset + c)), Vector512.LoadUnsafe(ref x, (nuint)c)));
        }
        return Vector512.Sum(s);
    }
}
