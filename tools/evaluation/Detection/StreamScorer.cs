using Embedded.Evaluation.Data;
using Embedded.Shared.Detection;
using Embedded.Shared.Fixed;

namespace Embedded.Evaluation.Detection;

/// <summary>
/// Runs a stream through a forecaster and the anomaly detector exactly as a device would: one row at a
/// time, in input order, never looking ahead. At row t the detector compares the row's values with the
/// forecast made at row t-1; then the row is fed to the forecaster for the next forecast.
/// Faults: a missing value (NaN) is replaced, as the forecaster's input, by the forecast made for it
/// (or the last value seen), and is passed to the detector as <see cref="AnomalyDetector.Missing"/>;
/// values beyond the fixed-point range saturate. Timestamps are not used (repeated or out-of-order rows
/// are scored as the next sample).
/// </summary>
public static class StreamScorer
{
    public static ScoredStream Score(TimeSeries series, IStepForecaster forecaster, AnomalyDetector detector)
    {
        int channels = series.ChannelCount;
        if (forecaster.InputCount != channels || forecaster.OutputCount != channels)
            throw new ArgumentException($"{series.Source}: {channels} value column(s), but the model takes {forecaster.InputCount} input(s) and forecasts {forecaster.OutputCount}; detection needs one forecast per column");
        if (detector.Channels != channels)
            throw new ArgumentException($"{series.Source}: {channels} value column(s), but the detector watches {detector.Channels}");

        int rows = series.RowCount;
        var predictions = new double[rows][];
        var scores = new double[rows];
        var anomalies = new bool[rows];
        var alarms = new bool[rows];
        var input = new int[channels];
        var forecast = new int[channels];
        var actual = new int[channels];
        var lastSeen = new double[channels];
        bool haveForecast = false;
        forecaster.Reset();
        detector.Reset();
        for (int t = 0; t < rows; t++)
        {
            var row = series.Values[t];
            var prediction = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                double value = row[c];
                if (haveForecast) prediction[c] = FixedIo.ToDouble(forecast[c], forecaster.OutputFracBits);
                else prediction[c] = double.IsNaN(value) ? 0.0 : value;
                actual[c] = double.IsNaN(value) ? AnomalyDetector.Missing : SaturatingFixed(value, forecaster.OutputFracBits);
            }
            predictions[t] = prediction;

            if (haveForecast)
            {
                int score = detector.Update(actual, forecast);
                scores[t] = score / (double)AnomalyDetector.ScoreOne;
                anomalies[t] = detector.IsAnomaly;
                alarms[t] = detector.IsAlarm;
            }

            for (int c = 0; c < channels; c++)
            {
                double value = row[c];
                if (double.IsNaN(value)) value = haveForecast ? prediction[c] : lastSeen[c];
                lastSeen[c] = value;
                input[c] = SaturatingFixed(value, forecaster.InputFracBits);
            }
            forecaster.Step(input, forecast);
            haveForecast = true;
        }
        return new ScoredStream(predictions, scores, anomalies, alarms);
    }

    /// <summary>Fixed point, saturating one short of int.MinValue (which means "missing").</summary>
    private static int SaturatingFixed(double value, int fracBits)
    {
        int fixedValue = FixedIo.ToFixed(value, fracBits);
        return fixedValue == AnomalyDetector.Missing ? AnomalyDetector.Missing + 1 : fixedValue;
    }
}
