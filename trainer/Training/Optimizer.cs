using Embedded.Trainer.Model;

namespace Embedded.Trainer.Training;

/// <summary>A first-order optimizer over named parameter arrays; its buffers travel in checkpoints for --resume.</summary>
public abstract class Optimizer
{
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    public double LearningRate { get; set; }
    public long Steps { get; protected set; }

    /// <summary>One update of every parameter from its gradient (names pair them up).</summary>
    public abstract void Step(IReadOnlyDictionary<string, Tensor> parameters, IReadOnlyDictionary<string, Tensor> gradients);

    /// <summary>The optimizer's buffers by name, for checkpoints.</summary>
    public abstract Dictionary<string, Tensor> ExportState();

    public abstract void ImportState(IReadOnlyDictionary<string, Tensor> buffers, long steps);

    protected static double[] Buffer(Dictionary<string, double[]> buffers, string name, int length)
    {
        if (!buffers.TryGetValue(name, out double[]? b)) buffers[name] = b = new double[length];
        return b;
    }
}
