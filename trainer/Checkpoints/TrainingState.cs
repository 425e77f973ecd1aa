using Embedded.Trainer.Model;

namespace Embedded.Trainer.Checkpoints;

/// <summary>What `--resume` needs beyond the weights: progress, optimizer moments and the early-stopping state.</summary>
public sealed class TrainingState
{
    public int EpochsDone { get; set; }
    public long OptimizerSteps { get; set; }
    /// <summary>Optimizer buffers by name, e.g. "adam.m.rnn.weight_ih_l0".</summary>
    public Dictionary<string, Tensor> OptimizerBuffers { get; set; } = new(StringComparer.Ordinal);
    public List<double> TrainLoss { get; set; } = [];
    public List<double> ValLoss { get; set; } = [];
    public double BestValLoss { get; set; } = double.PositiveInfinity;
    public int EpochsSinceBest { get; set; }
    /// <summary>Weights at the best validation loss (restored when training ends); empty = current weights are best.</summary>
    public Dictionary<string, Tensor> BestParameters { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The options fingerprint the run was started with (checked on resume).</summary>
    public string OptionsJson { get; set; } = "";
}
