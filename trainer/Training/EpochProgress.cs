namespace Embedded.Trainer.Training;

/// <summary>What the loop reports after each epoch.</summary>
public sealed record EpochProgress(int Epoch, int Epochs, double TrainLoss, double? ValLoss, double SamplesPerSecond, double LearningRate, string? Metric);
