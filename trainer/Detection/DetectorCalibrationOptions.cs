using Embedded.Shared.Detection;

namespace Embedded.Trainer.Detection;

/// <summary>The detector's general hyper-parameters (one set for every stream); calibration fills in the rest.</summary>
public sealed record DetectorCalibrationOptions
{
    /// <summary>Newest errors averaged into the short-term error.</summary>
    public int AverageWindow { get; init; } = 16;
    /// <summary>Running statistics forget with weight 2^-shift per sample (10: about 1000 samples).</summary>
    public int StatisticsShift { get; init; } = 10;
    /// <summary>
    /// Tail probability 10^-decades maps to a score of 1. 60 (past z = 16, where the table ends) keeps the
    /// error trackers' scores below 1.0, so strong events stay ordered and 1.0 means a spatial anomaly.
    /// </summary>
    public int ScoreDecades { get; init; } = 60;
    /// <summary>Samples scored 0 while the predictor's state settles.</summary>
    public int WarmupSamples { get; init; } = 16;
    /// <summary>After a new high score, lower scores are reported as 0 while the envelope decays over this many samples (0 = off).</summary>
    public int HoldOffSamples { get; init; } = 400;
    /// <summary>
    /// Learning ramp: over the first this-many samples since a reset scores are scaled from a quarter up
    /// to all of them (0 = off). 2048 is twice the running statistics' memory (2^StatisticsShift): by then they rest on
    /// the stream itself rather than on the in-sample calibration errors.
    /// </summary>
    public int ConfidenceSamples { get; init; } = 2048;
    /// <summary>
    /// The learning ramp is at most this many times the calibration rows (0 = no cap): a stream calibrated on
    /// 150-400 rows (a short recording, NAB's 15 % of a 1,000-2,600-row file) would otherwise be damped for
    /// most of its length, and scored below the long streams it shares a threshold with. 4: a file whose first
    /// 15 % calibrated its detector is trusted fully from 60 % of its length on; streams calibrated on 512 rows
    /// or more keep the full ramp.
    /// </summary>
    public int ConfidencePerCalibrationRow { get; init; } = 4;
    /// <summary>Smallest alarm threshold, in decades of tail probability (6: 1e-6); the score threshold is this / ScoreDecades.</summary>
    public double MinimumThresholdDecades { get; init; } = 6;
    /// <summary>The error scale is at least the signal's standard deviation divided by this (keeps near-perfect forecasts from alarming on noise).</summary>
    public int ScaleFloorDivisor { get; init; } = 64;
    /// <summary>Smallest spread of the short-term error, in error scales.</summary>
    public double SigmaFloor { get; init; } = 1.0 / 16;

    /// <summary>Look for a season (a clear autocorrelation peak) in the calibration rows and watch the seasonal error too.</summary>
    public bool FindSeason { get; init; } = true;
    /// <summary>Shortest season considered, in samples.</summary>
    public int MinimumSeason { get; init; } = 8;
    /// <summary>A season needs an autocorrelation peak at least this high.</summary>
    public double SeasonCorrelation { get; init; } = 0.75;

    /// <summary>
    /// Spatial channel (as in Numenta's HTM detector and ARTime): a value beyond the range seen so far by
    /// more than this fraction of the range is anomalous (0 = off).
    /// </summary>
    public double SpatialTolerance { get; init; } = 0.02;
    /// <summary>Score of a spatial anomaly, in [0, 1].</summary>
    public double SpatialScore { get; init; } = 1.0;
    /// <summary>During a hold-off, a new alarm must beat the last one by this much (score units) ...</summary>
    public double HoldOffMargin { get; init; } = 0.05;
    /// <summary>... plus this fraction of it (0.5: half again as strong). Keeps a rising burst to one alarm.</summary>
    public double HoldOffRatio { get; init; } = 0.5;

    /// <summary>
    /// Raise the threshold above the highest score the calibration rows themselves give (detector versions
    /// 1 to 4 did). Off: with many channels that maximum is one noisy extreme of a few hundred rows, and it
    /// set per-stream thresholds from 0.1 to 0.5 on SKAB's pump files, missing whole episodes; the
    /// threshold is then MinimumThresholdDecades for every stream.
    /// </summary>
    public bool ThresholdFromCalibration { get; init; } = false;

    /// <summary>Also watch the short-term mean of the signed forecast error (a persistent bias), per channel.</summary>
    public bool SignedErrors { get; init; } = true;
    /// <summary>The abnormal state ends once the error trackers' score stays below this fraction of the threshold ...</summary>
    public double StateExitFraction { get; init; } = 0.25;
    /// <summary>
    /// Raise the exit level by log10 of the number of error trackers, in decades: the state score is the
    /// largest of them, and the largest of N ordinary trackers sits about log10(N) decades above a single
    /// one, so with 8 sensors (24 trackers) an unraised exit level is crossed by chance every few samples
    /// and a state, once entered, would rarely end.
    /// </summary>
    public bool StateExitPerTracker { get; init; } = true;
    /// <summary>
    /// Raise the threshold (the state's entry level) by log10 of the number of error trackers, in decades, as
    /// the exit level is: the state is entered when any one of N trackers reaches it, so without the raise an
    /// ordinary sample enters the state about N times as often on a stream of 8 sensors as on one sensor.
    /// </summary>
    public bool ThresholdPerTracker { get; init; } = true;
    /// <summary>
    /// Frozen-reading check (detector version 7): a channel is abnormal while its reading has repeated for more
    /// than this many times the longest run of one reading in the calibration rows (0 = off) ...
    /// </summary>
    public double FrozenRunFactor { get; init; } = 2;
    /// <summary>... and at least this many samples. A channel that held one reading for half its calibration rows or more (a flat or coarsely quantised signal) is not checked.</summary>
    public int FrozenRunMinimum { get; init; } = 16;
    /// <summary>
    /// Learning clip in spreads (z; 0 = off, at most 15.9): a short-term error further than this from the
    /// running mean teaches the running statistics as if it lay at this distance (detector version 6).
    /// </summary>
    public double LearningClip { get; init; } = 3;
    /// <summary>... for this many samples (0 = no state: IsAnomaly is the alarm).</summary>
    public int StateHoldSamples { get; init; } = 32;

    public static DetectorCalibrationOptions Default { get; } = new();
}
