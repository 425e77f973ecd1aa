using Embedded.Trainer.Model;

namespace Embedded.Trainer.Training;

/// <summary>The trained model (best validation weights) and its report.</summary>
public sealed class TrainResult(FloatModel model, TrainingReport report)
{
    public FloatModel Model { get; } = model;
    public TrainingReport Report { get; } = report;
    /// <summary>"completed", "early_stopping", "nan_loss" or "cancelled".</summary>
    public string StopReason => Report.StopReason;
}
