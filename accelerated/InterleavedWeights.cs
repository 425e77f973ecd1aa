using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Weights laid out so that one vector holds <see cref="Lanes"/> rows × 2 columns as int16 pairs:
/// block b (rows b·Lanes ..), column pair p: [w(r, 2p), w(r, 2p+1)] for each row r of the block.
/// A broadcast input pair and one pmaddwd then add two products to every row's lane, so the row sums
/// build up vertically and no horizontal reduction is needed. Rows can be padded per group (one group
/// per gate) so that every gate starts on a block boundary; padded rows and columns are zero.
/// int8 weights stay one byte each (sign-extended on load), int16 weights two.
/// </summary>
internal sealed class InterleavedWeights
{
    /// <param name="matrix">Row-major source.</param>
    /// <param name="lanes">Rows per block (int32 lanes of the vector).</param>
    /// <param name="groupRows">Source rows per group (a gate's H rows, or all rows).</param>
    public InterleavedWeights(QuantizedMatrix matrix, int lanes, int groupRows)
    {
        Lanes = lanes;
        Cols = matrix.Cols;
        Pairs = (Cols + 1) / 2;
        Groups = (matrix.Rows + groupRows - 1) / groupRows;
        GroupRows = groupRows;
        PaddedGroupRows = (groupRows + lanes - 1) / lanes * lanes;
        PaddedRows = Groups * PaddedGroupRows;
        Blocks = PaddedRows / lanes;
        int size = PaddedRows * Pairs * 2;
        if (matrix.Weights8 != null) Weights8 = new sbyte[size];
        else Weights16 = new short[size];
        for (int r = 0; r < matrix.Rows; r++)
        {
            int padded = PaddedRow(r);
            int block = padded / lanes, lane = padded % lanes;
            for (int c = 0; c < Cols; c++)
            {
                int index = ((block * Pairs + c / 2) * lanes + lane) * 2 + (c & 1);
                if (Weights8 != null) Weights8[index] = matrix.Weights8![r * Cols + c];
                else Weights16![index] = matrix.Weights16[r * Cols + c];
            }
        }
    }

    public int Lanes { get; }
    public int Cols { get; }
    public int Pairs { get; }
    public int Groups { get; }
    public int GroupRows { get; }
    public int PaddedGroupRows { get; }
    public int PaddedRows { get; }
    public int Blocks { get; }
    /// <summary>int8 weights, or null.</summary>
    public sbyte[]? Weights8 { get; }
    /// <summary>int16 weights, or null.</summary>
    public short[]? Weights16 { get; }

    /// <summary>Where source row r lives after per-group padding.</summary>
    public int PaddedRow(int r) => r / GroupRows * PaddedGroupRows + r % GroupRows;
}
