namespace Embedded.Trainer.Training;

/// <summary>Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_.</summary>
public static class GradientClipping
{
    /// <summary>Scales all gradients by min(1, max/(norm + 1e-6)); returns the norm before clipping. max ≤ 0 only measures.</summary>
    public static double ClipGlobalNorm(IEnumerable<double[]> gradients, double max)
    {
        var list = gradients as IReadOnlyList<double[]> ?? gradients.ToList();
        double sumSquares = 0;
        foreach (double[] g in list) sumSquares += Numerics.Blas.Dot<double>(g, g); // the same order on every CPU (issue 17 item 5)
        double norm = Math.Sqrt(sumSquares);
        if (max > 0)
        {
            double coefficient = max / (norm + 1e-6);
            if (coefficient < 1)
                foreach (double[] g in list)
                    System.Numerics.Tensors.TensorPrimitives.Multiply(g, coefficient, g);
        }
        return norm;
    }
}
