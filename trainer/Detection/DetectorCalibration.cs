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
        p.Threshold = ToScore(options.MinimumThreshold);

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
            double meanAbsError = errors.Average();
            double mean = values.Average();
            double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
            double scale = Math.Max(Math.Max(meanAbsError, std / options.ScaleFloorDivisor), 1.0);
            p.ErrorScale[c] = (int)Math.Min(int.MaxValue, Math.Round(scale));

            // Distribution of the short-term average of normalised errors, as the detector computes it.
            var averages = ShortTermAverages(errors, p.ErrorScale[c], p.AverageWindow);
            if (averages.Count == 0) averages.Add(errors.Average() / p.ErrorScale[c] * (1 << DetectorParameters.ErrorFracBits));
            double m = averages.Average();
            double s = Math.Sqrt(averages.Sum(v => (v - m) * (v - m)) / averages.Count);
            p.InitialMean[c] = (int)Math.Clamp(Math.Round(m), 0, DetectorParameters.MaxNormalisedError);
            p.InitialStd[c] = (int)Math.Clamp(Math.Round(s), p.SigmaFloor, DetectorParameters.MaxNormalisedError);
        }

        // The threshold sits above everything the calibration rows themselves score.
        var detector = new AnomalyDetector(p);
        int highest = 0;
        for (int t = 0; t < actual.Length; t++) highest = Math.Max(highest, detector.Update(actual[t], predicted[t]));
        p.Threshold = Math.Clamp(Math.Max(p.Threshold, highest + 1), 1, AnomalyDetector.ScoreOne);
        return p;
    }

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
