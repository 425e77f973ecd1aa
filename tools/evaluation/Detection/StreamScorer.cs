using Embedded.Evaluation.Data;
using Embedded.Shared.Detection;
using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Evaluation.Detection;

/// <summary>
/// Runs a stream through the shared per-sample protocol (<see cref="StreamMonitor"/>: the portable
/// Predictor and the anomaly detector) exactly as the device does: one row at a time, in input order,
/// never looking ahead. Each row goes in as the device's integers (<see cref="StreamMonitor.ToSample"/>
/// at the model's input fraction bits: NaN is missing, values beyond the range saturate); at row t the
/// detector compares the row's targets with the forecast made at row t-1, a missing value is bridged by
/// the forecast made for it (or the last value seen), then the row steps the forecaster. Timestamps are
/// not used (repeated or out-of-order rows are scored as the next sample).
/// </summary>
public static class StreamScorer
{
    /// <summary>Scores <paramref name="series"/> with the model and <paramref name="detector"/> (the model's own, or one calibrated otherwise).</summary>
    public static ScoredStream Score(TimeSeries series, ModelImage model, AnomalyDetector detector)
    {
        int channels = series.ChannelCount;
        if (model.InputCount != channels || model.OutputCount != channels)
            throw new ArgumentException($"{series.Source}: {channels} value column(s), but the model takes {model.InputCount} input(s) and forecasts {model.OutputCount}; detection needs one forecast per column");
        if (detector.Channels != channels)
            throw new ArgumentException($"{series.Source}: {channels} value column(s), but the detector watches {detector.Channels}");

        // The plain layers: what compiled code runs fastest; the same bits as the device's fused ones.
        var monitor = new StreamMonitor(model, PortableKernel.Compiled, detector);
        int rows = series.RowCount;
        var predictions = new double[rows][];
        var scores = new double[rows];
        var anomalies = new bool[rows];
        var alarms = new bool[rows];
        var leading = new int[rows];
        var sample = new int[channels];
        for (int t = 0; t < rows; t++)
        {
            var row = series.Values[t];
            for (int c = 0; c < channels; c++) sample[c] = StreamMonitor.ToSample(row[c], model.InputFracBits);
            int score = monitor.Step(sample);
            var prediction = new double[channels];
            for (int c = 0; c < channels; c++) prediction[c] = FixedIo.ToDouble(monitor.Forecast[c], model.OutputFracBits);
            predictions[t] = prediction;
            scores[t] = score / (double)AnomalyDetector.ScoreOne;
            anomalies[t] = monitor.IsAnomaly;
            alarms[t] = monitor.IsAlarm;
            leading[t] = monitor.Detector is null ? -1 : monitor.Detector.LeadingTracker;
        }
        return new ScoredStream(predictions, scores, anomalies, alarms, monitor.OutOfRangeSamples, leading);
    }
}
