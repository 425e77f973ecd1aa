using Embedded.Evaluation.Data;
using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Evaluation.Detection;

/// <summary>Everything one `detect` run produced, for the CLI's summary, the demo and tests.</summary>
public sealed class DetectRun
{
    public required TimeSeries Series { get; init; }
    public required ScoredStream Scored { get; init; }
    public required ModelImage Model { get; init; }
    public required byte[] ModelBytes { get; init; }
    /// <summary>Rows the model was trained on (0 when a model file was given).</summary>
    public int TrainRows { get; init; }
    public FloatModel? FloatModel { get; init; }
    public QuantizeReport? QuantizeReport { get; init; }
    public TimeSpan TrainTime { get; init; }
    public TimeSpan ScoreTime { get; init; }

    /// <summary>Rows in the abnormal state.</summary>
    public int AnomalyCount => Scored.Anomalies.Count(a => a);
    /// <summary>Alarms raised.</summary>
    public int AlarmCount => Scored.Alarms.Count(a => a);
}
