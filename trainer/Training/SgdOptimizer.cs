using Embedded.Trainer.Model;

namespace Embedded.Trainer.Training;

/// <summary>SGD with optional momentum (torch.optim.SGD, dampening 0, not Nesterov): buf = μ·buf + g; w -= lr·buf.</summary>
public sealed class SgdOptimizer(double learningRate, double momentum = 0) : Optimizer(learningRate)
{
    private readonly Dictionary<string, double[]> _velocity = new(StringComparer.Ordinal);

    public override void Step(IReadOnlyDictionary<string, Tensor> parameters, IReadOnlyDictionary<string, Tensor> gradients)
    {
        Steps++;
        foreach (var (name, p) in parameters)
        {
            double[] w = p.Data, g = gradients[name].Data;
            if (momentum == 0)
            {
                for (int i = 0; i < w.Length; i++) w[i] -= LearningRate * g[i];
                continue;
            }
            bool first = !_velocity.ContainsKey(name);
            double[] buf = Buffer(_velocity, name, w.Length);
            for (int i = 0; i < w.Length; i++)
            {
                buf[i] = first ? g[i] : momentum * buf[i] + g[i];
                w[i] -= LearningRate * buf[i];
            }
        }
    }

    public override Dictionary<string, Tensor> ExportState() =>
        _velocity.ToDictionary(p => "sgd.momentum." + p.Key, p => new Tensor([p.Value.Length], (double[])p.Value.Clone()), StringComparer.Ordinal);

    public override void ImportState(IReadOnlyDictionary<string, Tensor> buffers, long steps)
    {
        Steps = steps;
        foreach (var (key, t) in buffers)
            if (key.StartsWith("sgd.momentum.", StringComparison.Ordinal)) _velocity[key["sgd.momentum.".Length..]] = (double[])t.Data.Clone();
    }
}
