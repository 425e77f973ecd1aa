using System.Numerics;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Cross-platform SIMD kernel (arm64 NEON and any other System.Numerics target): widen int16 lanes to
/// int32, multiply, accumulate. Every partial sum fits int32 thanks to <see cref="PackedWeights"/>.
/// </summary>
internal sealed class WideningMatVec : IMatVec
{
    private readonly PackedWeights _w;

    public WideningMatVec(QuantizedMatrix matrix)
    {
        _w = new PackedWeights(matrix, Vector<short>.Count);
    }

    public void Multiply(short[] input, long[] accumulators)
    {
        var w = _w;
        short[] x = w.Input;
        input.AsSpan(0, w.Cols).CopyTo(x);
        int stride = w.Stride, rows = w.Rows;
        // int8 rows fit int32 whole; split int16 rows are summed in blocks of PackedWeights.BlockColumns.
        int block = w.High == null ? stride : PackedWeights.BlockColumns;
        for (int r = 0; r < rows; r++)
        {
            long sum = 0;
            for (int start = 0; start < stride; start += block)
            {
                int end = Math.Min(stride, start + block);
                sum += Dot(w.Low, r * stride, start, end, x);
                if (w.High != null) sum += (long)Dot(w.High, r * stride, start, end, x) << 8;
            }
            accumulators[r] = sum;
        }
    }

    private static int Dot(short[] weights, int offset, int start, int end, short[] x)
    {
        Vector<int> s = Vector<int>.Zero;
        int lanes = Vector<short>.Count;
        for (int c = start; c < end; c += lanes)
        {
            Vector.Widen(new Vector<short>(weights, offset + c), out Vector<int> wl, out Vector<int> wh);
            Vector.Widen(new Vector<short>(x, c), out Vector<int> xl, out Vector<int> xh);
            s += wl * xl + wh * xh;
        }
        return Vector.Sum(s);
    }
}
