using Embedded.Shared.Detection;

namespace Embedded.Edge.Engine;

/// <summary>Outcome of one sample. Arrays belong to the engine and are overwritten by the next step.</summary>
public readonly struct StepResult
{
    public StepResult(bool hasForecast, double[] forecast, int[] forecastFixed, double score, int scoreFixed, bool isAnomaly, bool isAlarm, bool isOutOfRange = false, int leadingTracker = -1)
    {
        LeadingTracker = leadingTracker;
        HasForecast = hasForecast;
        Forecast = forecast;
        ForecastFixed = forecastFixed;
        Score = score;
        ScoreFixed = scoreFixed;
        IsAnomaly = isAnomaly;
        IsAlarm = isAlarm;
        IsOutOfRange = isOutOfRange;
    }

    /// <summary>False for the first sample after start or reset: nothing was forecast for it yet.</summary>
    public bool HasForecast { get; }

    /// <summary>The forecast that was made for this sample, in the model's units (one per output); the sample's own values when there is none yet.</summary>
    public double[] Forecast { get; }

    /// <summary>The same forecast as the runtime's fixed-point integers (Model.OutputFracBits).</summary>
    public int[] ForecastFixed { get; }

    /// <summary>Anomaly score in [0, 1].</summary>
    public double Score { get; }

    /// <summary>The detector's integer score in [0, AnomalyDetector.ScoreOne].</summary>
    public int ScoreFixed { get; }

    /// <summary>The detector's abnormal state after this sample (what a LED or relay follows).</summary>
    public bool IsAnomaly { get; }

    /// <summary>Whether this sample raised an alarm (an episode's start or a new extreme): what events report.</summary>
    public bool IsAlarm { get; }

    /// <summary>
    /// What gave this sample's score (AnomalyDetector.LeadingTracker): channel * 8 + kind (error, season, bias,
    /// range, frozen), -1 when nothing scored. Events name the sensor with it.
    /// </summary>
    public int LeadingTracker { get; }

    /// <summary>The channel (output index) behind the score, or -1.</summary>
    public int LeadingChannel => AnomalyDetector.LeadingChannel(LeadingTracker);

    /// <summary>What about that channel: "error" (forecast error), "season" (against one season ago), "bias" (a one-sided forecast error), "range" (beyond the values seen) or "frozen" (the reading stopped changing); null when nothing scored.</summary>
    public string? LeadingKind => AnomalyDetector.LeadingKind(LeadingTracker) switch
    {
        -1 => null,
        AnomalyDetector.LeadByError => "error",
        AnomalyDetector.LeadBySeason => "season",
        AnomalyDetector.LeadByBias => "bias",
        AnomalyDetector.LeadByRange => "range",
        _ => "frozen",
    };

    /// <summary>Whether the sample lay beyond the model's calibrated values by more than their range (the model may not fit this input).</summary>
    public bool IsOutOfRange { get; }
}
