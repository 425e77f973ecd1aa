using System.Text.Json;
using System.Text.Json.Serialization;

namespace Embedded.Trainer.Training;

/// <summary>The end-of-training summary written as MODEL.report.json.</summary>
public sealed class TrainingReport
{
    [JsonPropertyName("task")] public string Task { get; set; } = "";
    [JsonPropertyName("cell")] public string Cell { get; set; } = "";
    [JsonPropertyName("hidden")] public int Hidden { get; set; }
    [JsonPropertyName("layers")] public int Layers { get; set; }
    [JsonPropertyName("bidirectional")] public bool Bidirectional { get; set; }
    [JsonPropertyName("parameters")] public int Parameters { get; set; }
    [JsonPropertyName("epochs_run")] public int EpochsRun { get; set; }
    [JsonPropertyName("best_epoch")] public int BestEpoch { get; set; }
    [JsonPropertyName("stop_reason")] public string StopReason { get; set; } = "";
    [JsonPropertyName("train_loss")] public double TrainLoss { get; set; }
    [JsonPropertyName("val_loss")] public double? ValLoss { get; set; }
    /// <summary>Forecast: RMSE of the model on the validation rows, target units.</summary>
    [JsonPropertyName("val_rmse")] public double? ValRmse { get; set; }
    /// <summary>Forecast: RMSE of persistence (next value = last value) on the same rows, same units.</summary>
    [JsonPropertyName("baseline_rmse")] public double? BaselineRmse { get; set; }
    /// <summary>Forecast: <see cref="ValRmse"/> per target column.</summary>
    [JsonPropertyName("val_rmse_per_target")] public double[]? ValRmsePerTarget { get; set; }
    /// <summary>Forecast: <see cref="BaselineRmse"/> per target column.</summary>
    [JsonPropertyName("baseline_rmse_per_target")] public double[]? BaselineRmsePerTarget { get; set; }
    /// <summary>
    /// Forecast, per target: how much better persistence did than the model on the validation rows, in
    /// standard errors of the paired difference of squared errors (positive: persistence better).
    /// </summary>
    [JsonPropertyName("persistence_advantage")] public double[]? PersistenceAdvantage { get; set; }
    [JsonPropertyName("val_perplexity")] public double? ValPerplexity { get; set; }
    [JsonPropertyName("train_perplexity")] public double? TrainPerplexity { get; set; }
    [JsonPropertyName("val_accuracy")] public double? ValAccuracy { get; set; }
    [JsonPropertyName("samples_per_second")] public double SamplesPerSecond { get; set; }
    [JsonPropertyName("tokens_per_second")] public double TokensPerSecond { get; set; }
    [JsonPropertyName("seconds")] public double Seconds { get; set; }
    [JsonPropertyName("train_loss_history")] public List<double> TrainLossHistory { get; set; } = [];
    [JsonPropertyName("val_loss_history")] public List<double> ValLossHistory { get; set; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals });
}
