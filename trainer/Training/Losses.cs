namespace Embedded.Trainer.Training;

/// <summary>Loss functions with their gradients, PyTorch conventions (mean reduction).</summary>
public static class Losses
{
    /// <summary>Mean squared error over all elements (F.mse_loss); writes dL/dy into <paramref name="dy"/>.</summary>
    public static double MeanSquaredError(ReadOnlySpan<double> y, ReadOnlySpan<double> target, Span<double> dy)
    {
        int n = y.Length;
        double sum = 0, scale = 2.0 / n;
        for (int i = 0; i < n; i++)
        {
            double d = y[i] - target[i];
            sum += d * d;
            dy[i] = scale * d;
        }
        return sum / n;
    }

    /// <summary>
    /// Softmax cross-entropy averaged over rows (F.cross_entropy); <paramref name="labels"/>[r] &lt; 0 marks a row
    /// that does not count. Writes dL/dlogits into <paramref name="dy"/> (may be empty to skip).
    /// </summary>
    public static double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, Span<double> dy, int classes)
    {
        int rows = labels.Length, counted = 0;
        for (int r = 0; r < rows; r++) if (labels[r] >= 0) counted++;
        if (counted == 0) { if (!dy.IsEmpty) dy[..(rows * classes)].Clear(); return 0; }
        double total = 0, scale = 1.0 / counted;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> z = logits.Slice(r * classes, classes);
            if (labels[r] < 0) { if (!dy.IsEmpty) dy.Slice(r * classes, classes).Clear(); continue; }
            double max = double.NegativeInfinity;
            for (int k = 0; k < classes; k++) max = Math.Max(max, z[k]);
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += Math.Exp(z[k] - max);
            double logSum = max + Math.Log(sum);
            total += logSum - z[labels[r]];
            if (dy.IsEmpty) continue;
            Span<double> d = dy.Slice(r * classes, classes);
            for (int k = 0; k < classes; k++) d[k] = Math.Exp(z[k] - logSum) * scale;
            d[labels[r]] -= scale;
        }
        return total / counted;
    }
}
