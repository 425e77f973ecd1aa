using Embedded.Shared.Detection;

namespace Embedded.Trainer.Detection;

/// <summary>
/// Calibrates the on-device anomaly detector from the quantized predictor's behaviour on calibration
/// data, producing the model file's detector section (parsed by shared/Detection).
/// Per channel: the error scale is the mean absolute forecast error (at least the signal's standard
/// deviation / 64, and at least one unit); the initial mean and spread of the short-term average error
/// come from the same rows; the alarm threshold is the larger of the configured minimum and the
/// highest score the calibrated detector gives the calibration rows themselves.
/// </summary>
public static class DetectorCalibration
{
    /// <summary>
    /// <paramref name="actual"/>[t] and <paramref name="predicted"/>[t] are the true targets and the quantized
    /// predictor's forecast for calibration row t, fixed point with <paramref name="outputFracBits"/> fraction bits.
    /// Returns the detector section bytes (empty = no detector).
    /// </summary>
    public static byte[] Calibrate(int[][] actual, int[][] predicted, int outputFracBits) =>
        Calibrate(actual, predicted, outputFracBits, DetectorCalibrationOptions.Default);

    public static byte[] Calibrate(int[][] actual, int[][] predicted, int outputFracBits, DetectorCalibrationOptions options)
    {
        var parameters = CalibrateParameters(actual, predicted, outputFracBits, options);
        return parameters is null ? [] : parameters.ToBytes();
    }

    /// <summary>The calibrated parameters, or null when there are no rows to calibrate on.</summary>
    public static DetectorParameters? CalibrateParameters(int[][] actual, int[][] predicted, int outputFracBits, DetectorCalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Length != predicted.Length) throw new ArgumentException($"calibration: {actual.Length} actual rows but {predicted.Length} forecast rows");
        if (actual.Length == 0) return null;
        int channels = actual[0].Length;
        if (channels < 1 || channels > DetectorParameters.MaxChannels) throw new ArgumentException($"calibration: {channels} channels (1..{DetectorParameters.MaxChannels} supported)");
        for (int t = 0; t < actual.Length; t++)
            if (actual[t].Length != channels || predicted[t].Length != channels)
                throw new ArgumentException($"calibration row {t}: {actual[t].Length} actual and {predicted[t].Length} forecast values, expected {channels}");

        var p = DetectorParameters.CreateDefault(channels, outputFracBits);
        p.AverageWindow = options.AverageWindow;
        p.StatisticsShift = options.StatisticsShift;
        p.ScoreDecades = options.ScoreDecades;
        p.WarmupSamples = options.WarmupSamples;
        p.HoldOffSamples = options.HoldOffSamples;
        p.SigmaFloor = Math.Max(1, (int)Math.Round(options.SigmaFloor * (1 << DetectorParameters.ErrorFracBits)));
        p.Threshold = ToScore(options.MinimumThresholdDecades / options.ScoreDecades);
        p.SpatialTolerance = (int)Math.Round(options.SpatialTolerance * (1 << DetectorParameters.ToleranceFracBits));
        p.SpatialScore = ToScore(options.SpatialScore);
        p.HoldOffMargin = ToScore(options.HoldOffMargin);
        p.HoldOffRatio = (int)Math.Round(options.HoldOffRatio * (1 << DetectorParameters.RatioFracBits));
        p.ConfidenceSamples = options.ConfidencePerCalibrationRow > 0 ? (int)Math.Min(options.ConfidenceSamples, (long)options.ConfidencePerCalibrationRow * actual.Length) : options.ConfidenceSamples;
        p.SignedErrors = options.SignedErrors;
        p.StateHoldSamples = options.StateHoldSamples;
        p.LearningClip = (int)Math.Round(options.LearningClip * (1 << DetectorParameters.LearningClipFracBits));

        // Rows after the predictor's own warm-up (keep at least three quarters of them).
        int skip = Math.Min(options.WarmupSamples, actual.Length / 4);
        for (int c = 0; c < channels; c++)
        {
            var errors = new List<double>();
            var values = new List<double>();
            for (int t = skip; t < actual.Length; t++)
            {
                int a = actual[t][c], f = predicted[t][c];
                if (a == AnomalyDetector.Missing || f == AnomalyDetector.Missing) continue;
                errors.Add(Math.Abs((double)a - f));
                values.Add(a);
            }
            if (errors.Count == 0) continue;
            (p.ErrorScale[c], p.InitialMean[c], p.InitialStd[c]) = ErrorStatistics(errors, values, p, options);
            (p.SignedMean[c], p.SignedStd[c]) = SignedErrorStatistics(actual, predicted, c, skip, p);
        }

        // Range: where the spatial channel starts (the stream then extends it).
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < actual.Length; t++)
            {
                int a = actual[t][c];
                if (a == AnomalyDetector.Missing) continue;
                p.RangeLow[c] = Math.Min(p.RangeLow[c], a);
                p.RangeHigh[c] = Math.Max(p.RangeHigh[c], a);
            }

        // Frozen reading: longer runs of one reading than the calibration rows ever held (twice the longest, at
        // least FrozenRunMinimum); off for a channel that held one reading for half the rows or more.
        p.FrozenRun = new int[channels];
        for (int c = 0; c < channels && options.FrozenRunFactor > 0; c++)
        {
            int longest = 0, run = 0, last = 0, present = 0;
            for (int t = 0; t < actual.Length; t++)
            {
                int a = actual[t][c];
                if (a == AnomalyDetector.Missing) continue;
                present++;
                run = run > 0 && a == last ? run + 1 : 1;
                last = a;
                longest = Math.Max(longest, run);
            }
            if (present == 0 || 2 * longest >= present) continue;
            p.FrozenRun[c] = (int)Math.Clamp(Math.Max(Math.Ceiling(options.FrozenRunFactor * longest), options.FrozenRunMinimum), 1, 65535);
        }

        // Season: the error against the value one period ago, measured the same way.
        p.SeasonPeriod = options.FindSeason ? FindSeasonPeriod(actual, options) : 0;
        for (int c = 0; c < channels && p.SeasonPeriod > 0; c++)
        {
            var errors = new List<double>();
            var values = new List<double>();
            for (int t = p.SeasonPeriod; t < actual.Length; t++)
            {
                int a = actual[t][c], past = actual[t - p.SeasonPeriod][c];
                if (a == AnomalyDetector.Missing || past == AnomalyDetector.Missing) continue;
                errors.Add(Math.Abs((double)a - past));
                values.Add(a);
            }
            if (errors.Count == 0) continue;
            (p.SeasonScale[c], p.SeasonMean[c], p.SeasonStd[c]) = ErrorStatistics(errors, values, p, options);
        }

        // The threshold sits above everything the error trackers give the calibration rows themselves.
        // The spatial channel stays out of this: on the calibration rows the range is still being
        // learned, and a spatial anomaly scores SpatialScore (1.0) above any threshold anyway. The learning
        // ramp is off too: the threshold is for the stream's settled scores, not the damped first ones.
        if (options.ThresholdFromCalibration)
        {
            int tolerance = p.SpatialTolerance;
            int ramp = p.ConfidenceSamples;
            int hold = p.StateHoldSamples;
            p.SpatialTolerance = 0;
            p.ConfidenceSamples = 0;
            p.StateHoldSamples = 0;
            var detector = new AnomalyDetector(p);
            int highest = 0;
            for (int t = 0; t < actual.Length; t++) highest = Math.Max(highest, detector.Update(actual[t], predicted[t]));
            p.SpatialTolerance = tolerance;
            p.ConfidenceSamples = ramp;
            p.StateHoldSamples = hold;
            p.Threshold = Math.Clamp(Math.Max(p.Threshold, highest + 1), 1, AnomalyDetector.ScoreOne);
        }
        // The state score is the largest of N error trackers, and the largest of N ordinary ones sits about
        // log10(N) decades above a single one: both levels rise by that much, so the chance that an ordinary
        // sample enters (or holds) the state does not grow with the number of sensors.
        // (Integer log10, DetectorParameters.PerTrackerRaise, so a sensitivity laid over the model on a device
        // lands on the same levels.)
        int perTracker = p.PerTrackerRaise();
        double exit = p.Threshold * options.StateExitFraction;
        if (options.StateExitPerTracker) exit += perTracker;
        if (options.ThresholdPerTracker) p.Threshold = Math.Clamp(p.Threshold + perTracker, 1, AnomalyDetector.ScoreOne);
        p.StateExit = Math.Clamp((int)Math.Round(exit), 0, p.Threshold);
        return p;
    }

    /// <summary>
    /// Mean and spread of the short-term mean of the signed normalised error on the calibration rows, as the
    /// detector's signed tracker computes it (the error scale is the channel's, already calibrated).
    /// </summary>
    private static (int Mean, int Std) SignedErrorStatistics(int[][] actual, int[][] predicted, int c, int skip, DetectorParameters p)
    {
        double scale = p.ErrorScale[c];
        double limit = DetectorParameters.MaxNormalisedError;
        var normalised = new List<double>();
        for (int t = skip; t < actual.Length; t++)
        {
            int a = actual[t][c], f = predicted[t][c];
            if (a == AnomalyDetector.Missing || f == AnomalyDetector.Missing) continue;
            normalised.Add(Math.Clamp(((double)a - f) / scale * (1 << DetectorParameters.ErrorFracBits), -limit, limit));
        }
        int window = p.AverageWindow;
        var averages = new List<double>();
        double sum = 0;
        for (int i = 0; i < normalised.Count; i++)
        {
            sum += normalised[i];
            if (i >= window) sum -= normalised[i - window];
            if (i >= window - 1) averages.Add(sum / window);
        }
        if (averages.Count == 0) return (0, 1 << DetectorParameters.ErrorFracBits);
        double m = averages.Average();
        double s = Math.Sqrt(averages.Sum(v => (v - m) * (v - m)) / averages.Count);
        return ((int)Math.Clamp(Math.Round(m), -limit, limit), (int)Math.Clamp(Math.Round(s), p.SigmaFloor, limit));
    }

    /// <summary>Error scale, and mean and spread of the short-term average of normalised errors, as the detector computes them.</summary>
    private static (int Scale, int Mean, int Std) ErrorStatistics(List<double> errors, List<double> values, DetectorParameters p, DetectorCalibrationOptions options)
    {
        double meanAbsError = errors.Average();
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
        int scale = (int)Math.Min(int.MaxValue, Math.Round(Math.Max(Math.Max(meanAbsError, std / options.ScaleFloorDivisor), 1.0)));
        var averages = ShortTermAverages(errors, scale, p.AverageWindow);
        if (averages.Count == 0) averages.Add(errors.Average() / scale * (1 << DetectorParameters.ErrorFracBits));
        double m = averages.Average();
        double s = Math.Sqrt(averages.Sum(v => (v - m) * (v - m)) / averages.Count);
        return (scale,
            (int)Math.Clamp(Math.Round(m), 0, DetectorParameters.MaxNormalisedError),
            (int)Math.Clamp(Math.Round(s), p.SigmaFloor, DetectorParameters.MaxNormalisedError));
    }

    /// <summary>
    /// The season: the highest autocorrelation peak (a local maximum, averaged over channels) between
    /// MinimumSeason and half the rows (at most 1024), when it reaches SeasonCorrelation; else 0.
    /// Smooth but aperiodic series decay without a peak and get no season.
    /// </summary>
    public static int FindSeasonPeriod(int[][] actual, DetectorCalibrationOptions options)
    {
        int n = actual.Length, channels = actual[0].Length;
        int maxLag = Math.Min(n / 2 - 1, DetectorParameters.MaxSeasonPeriod);
        if (maxLag < options.MinimumSeason + 1) return 0;
        var r = new double[maxLag + 2];
        for (int c = 0; c < channels; c++)
        {
            var x = new double[n];
            int present = 0;
            double last = 0;
            for (int t = 0; t < n; t++)
            {
                if (actual[t][c] != AnomalyDetector.Missing) { last = actual[t][c]; present++; }
                x[t] = last;
            }
            if (present < n / 2) return 0;
            double mean = x.Average();
            double variance = x.Sum(v => (v - mean) * (v - mean));
            if (variance <= 0) continue;
            for (int lag = options.MinimumSeason - 1; lag <= maxLag + 1 && lag < n; lag++)
            {
                double sum = 0;
                for (int t = lag; t < n; t++) sum += (x[t] - mean) * (x[t - lag] - mean);
                r[lag] += sum / variance * n / (n - lag) / channels;
            }
        }
        double bestR = 0;
        for (int lag = options.MinimumSeason; lag <= maxLag; lag++)
            if (IsPeak(r, lag)) bestR = Math.Max(bestR, r[lag]);
        if (bestR < options.SeasonCorrelation) return 0;
        // The best-correlated lag is the best seasonal forecast (a week can beat a day: weekends differ).
        for (int lag = options.MinimumSeason; lag <= maxLag; lag++)
            if (IsPeak(r, lag) && r[lag] == bestR) return lag;
        return 0;
    }

    private static bool IsPeak(double[] r, int lag) => r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1];

    private static List<double> ShortTermAverages(List<double> errors, int scale, int window)
    {
        var averages = new List<double>();
        double sum = 0;
        var normalised = errors.Select(e => Math.Min(e / scale * (1 << DetectorParameters.ErrorFracBits), DetectorParameters.MaxNormalisedError)).ToArray();
        for (int i = 0; i < normalised.Length; i++)
        {
            sum += normalised[i];
            if (i >= window) sum -= normalised[i - window];
            if (i >= window - 1) averages.Add(sum / window);
        }
        return averages;
    }

    private static int ToScore(double score) => (int)Math.Clamp(Math.Round(score * AnomalyDetector.ScoreOne), 0, AnomalyDetector.ScoreOne);
}
