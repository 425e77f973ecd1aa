using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Weights laid out for 16-bit SIMD: rows padded with zeros to a multiple of the vector width. int16
/// weights are split as w = 256 * high + low (low in [-128, 127], high in [-128, 128]) so that a sum of
/// up to <see cref="BlockColumns"/> products fits an int32; int8 weights need only the low part, and
/// |w| &lt;= 127 keeps a whole row (at most 512 columns) inside an int32. Lane sums may wrap on the way:
/// int32 addition is exact modulo 2^32, so only the total has to fit.
/// </summary>
internal sealed class PackedWeights
{
    public PackedWeights(QuantizedMatrix matrix, int laneMultiple)
    {
        Rows = matrix.Rows;
        Cols = matrix.Cols;
        Stride = (Cols + laneMultiple - 1) / laneMultiple * laneMultiple;
        if (Stride == 0) Stride = laneMultiple;
        Low = new short[Rows * Stride];
        if (matrix.Weights8 != null)
        {
            for (int r = 0; r < Rows; r++)
                for (int c = 0; c < Cols; c++)
                    Low[r * Stride + c] = matrix.Weights8[r * Cols + c];
        }
        else
        {
            High = new short[Rows * Stride];
            for (int r = 0; r < Rows; r++)
            {
                for (int c = 0; c < Cols; c++)
                {
                    int w = matrix.Weights16![r * Cols + c];
                    int low = (sbyte)(w & 0xFF);
                    High[r * Stride + c] = (short)((w - low) >> 8);
                    Low[r * Stride + c] = (short)low;
                }
            }
        }
        Input = new short[Stride];
    }

    /// <summary>Columns summed in int32 before moving to int64 (split int16 weights): 256 * 128 * 32768 = 2^30.</summary>
    public const int BlockColumns = 256;

    public int Rows { get; }
    public int Cols { get; }
    public int Stride { get; }
    public short[] Low { get; }
    /// <summary>High bytes of int16 weights; null for int8 models.</summary>
    public short[]? High { get; }
    /// <summary>Zero-padded copy of the input vector, reused every call.</summary>
    public short[] Input { get; }
}
