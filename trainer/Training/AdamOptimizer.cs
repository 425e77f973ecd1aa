using System.Numerics;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Training;

/// <summary>Adam (torch.optim.Adam, no weight decay, no amsgrad): bias-corrected moments, eps outside the square root.</summary>
public sealed class AdamOptimizer(double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8) : Optimizer(learningRate)
{
    private readonly Dictionary<string, double[]> _m = new(StringComparer.Ordinal), _v = new(StringComparer.Ordinal);

    public override void Step(IReadOnlyDictionary<string, Tensor> parameters, IReadOnlyDictionary<string, Tensor> gradients)
    {
        Steps++;
        double correction1 = 1 - Math.Pow(beta1, Steps);
        double correction2Root = Math.Sqrt(1 - Math.Pow(beta2, Steps));
        double stepSize = LearningRate / correction1;
        foreach (var (name, p) in parameters)
        {
            double[] w = p.Data, g = gradients[name].Data;
            double[] m = Buffer(_m, name, w.Length), v = Buffer(_v, name, w.Length);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                // The same operations in the same order as the scalar loop below, a vector at a time.
                Vector<double> b1 = new(beta1), b2 = new(beta2), c1 = new(1 - beta1), c2 = new(1 - beta2);
                Vector<double> size = new(stepSize), root = new(correction2Root), eps = new(epsilon);
                for (; i + Vector<double>.Count <= w.Length; i += Vector<double>.Count)
                {
                    var gi = new Vector<double>(g, i);
                    var mi = b1 * new Vector<double>(m, i) + c1 * gi;
                    var vi = b2 * new Vector<double>(v, i) + c2 * gi * gi;
                    mi.CopyTo(m, i);
                    vi.CopyTo(v, i);
                    (new Vector<double>(w, i) - size * mi / (Vector.SquareRoot(vi) / root + eps)).CopyTo(w, i);
                }
            }
            for (; i < w.Length; i++)
            {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                w[i] -= stepSize * m[i] / (Math.Sqrt(v[i]) / correction2Root + epsilon);
            }
        }
    }

    public override Dictionary<string, Tensor> ExportState()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, m) in _m) state["adam.m." + name] = new Tensor([m.Length], (double[])m.Clone());
        foreach (var (name, v) in _v) state["adam.v." + name] = new Tensor([v.Length], (double[])v.Clone());
        return state;
    }

    public override void ImportState(IReadOnlyDictionary<string, Tensor> buffers, long steps)
    {
        Steps = steps;
        foreach (var (key, t) in buffers)
        {
            if (key.StartsWith("adam.m.", StringComparison.Ordinal)) _m[key[7..]] = (double[])t.Data.Clone();
            else if (key.StartsWith("adam.v.", StringComparison.Ordinal)) _v[key[7..]] = (double[])t.Data.Clone();
        }
    }
}
