namespace Embedded.Evaluation.Nab;

/// <summary>A labelled anomaly window as inclusive row indices of one file.</summary>
public readonly record struct AnomalyWindow(int StartRow, int EndRow)
{
    public int Width => EndRow - StartRow + 1;

    public bool Contains(int row) => row >= StartRow && row <= EndRow;
}
