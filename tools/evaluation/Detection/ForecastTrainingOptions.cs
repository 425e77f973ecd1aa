using Embedded.Shared.Model;

namespace Embedded.Evaluation.Detection;

/// <summary>
/// The one set of default hyper-parameters `detect` trains every stream with: a small LSTM that learns in
/// about a second on a few hundred rows and fits comfortably on an ESP32.
/// </summary>
public sealed record ForecastTrainingOptions
{
    public const int MinimumRows = 48;

    public CellType Cell { get; init; } = CellType.Lstm;
    public int Hidden { get; init; } = 16;
    public int Layers { get; init; } = 1;
    /// <summary>Training window (rows per sample); shortened for short training portions.</summary>
    public int Window { get; init; } = 32;
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 0.01;
    public int Seed { get; init; } = 1;
    /// <summary>Share of the training rows held out (chronologically last) for early stopping.</summary>
    public double ValidationFraction { get; init; } = 0.2;
    /// <summary>Epochs without validation improvement before stopping (0 = never).</summary>
    public int Patience { get; init; } = 5;
    /// <summary>Forecasters trained from different initial weights; the one with the lowest validation loss is kept.</summary>
    public int Candidates { get; init; } = 1;
    /// <summary>How many of the best candidates (by validation loss) are averaged into one wider model (1 = keep the best alone).</summary>
    public int EnsembleMembers { get; init; } = 1;
    /// <summary>Weight width of the quantized model: 8 or 16.</summary>
    public int Bits { get; init; } = 16;
    /// <summary>
    /// Values, changes from the current value (an untrained head is persistence), or per channel by
    /// validation (see ForecastModeSelection): auto, so a channel that drifts out of the training rows'
    /// range is followed instead of alarming for as long as it drifts.
    /// </summary>
    public Embedded.Trainer.Training.ForecastMode Forecast { get; init; } = Embedded.Trainer.Training.ForecastMode.Auto;

    public static ForecastTrainingOptions Default { get; } = new();
}
