namespace Embedded.Trainer.Data;

/// <summary>Per-column z-score normalisation, fitted on training rows only and stored with the model.</summary>
public sealed class ZScore
{
    public ZScore(double[] mean, double[] std)
    {
        if (mean.Length != std.Length) throw new ArgumentException("mean and std lengths differ");
        Mean = mean;
        Std = std;
    }

    public double[] Mean { get; }
    /// <summary>Standard deviations; a constant column gets 1 so it normalises to 0 instead of dividing by zero.</summary>
    public double[] Std { get; }

    /// <summary>Fits mean and population standard deviation over rows [start, start+count).</summary>
    public static ZScore Fit(double[][] rows, int start = 0, int count = -1)
    {
        if (count < 0) count = rows.Length - start;
        if (count <= 0) throw new ArgumentException("no rows to fit a normaliser on");
        int width = rows[start].Length;
        var mean = new double[width];
        var std = new double[width];
        for (int r = start; r < start + count; r++)
            for (int c = 0; c < width; c++) mean[c] += rows[r][c];
        for (int c = 0; c < width; c++) mean[c] /= count;
        for (int r = start; r < start + count; r++)
            for (int c = 0; c < width; c++) { double d = rows[r][c] - mean[c]; std[c] += d * d; }
        for (int c = 0; c < width; c++)
        {
            std[c] = Math.Sqrt(std[c] / count);
            if (!(std[c] > 1e-12)) std[c] = 1;
        }
        return new ZScore(mean, std);
    }

    public double Normalize(double value, int column) => (value - Mean[column]) / Std[column];
    public double Denormalize(double value, int column) => value * Std[column] + Mean[column];

    public double[] Normalize(double[] row)
    {
        var result = new double[row.Length];
        for (int c = 0; c < row.Length; c++) result[c] = Normalize(row[c], c);
        return result;
    }

    public double[][] Normalize(double[][] rows) => rows.Select(Normalize).ToArray();
}
