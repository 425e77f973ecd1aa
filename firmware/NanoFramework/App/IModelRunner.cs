namespace Embedded.Firmware
{
    /// <summary>A loaded model and its detector, stepped once per sample.</summary>
    public interface IModelRunner
    {
        /// <summary>Features per sample the model expects.</summary>
        int InputCount { get; }

        /// <summary>Fraction bits of the fixed-point inputs.</summary>
        int InputFracBits { get; }

        /// <summary>Fraction bits of forecasts.</summary>
        int OutputFracBits { get; }

        /// <summary>Nominal sample period in ms (0 = unknown).</summary>
        int SamplePeriodMs { get; }

        /// <summary>Whether this model can run on the sensor stream (a forecaster or classifier over numeric features).</summary>
        bool RunsOnSensors { get; }

        /// <summary>
        /// Scores the new sample against the forecast made at the previous step, then steps the model.
        /// Returns the anomaly score in [0, AnomalyDetector.ScoreOne] (0 for the first sample).
        /// </summary>
        int Process(int[] input);

        /// <summary>Whether the last score crossed the detector's threshold.</summary>
        bool IsAnomaly { get; }

        /// <summary>The forecast for the first output made by the last step (OutputFracBits).</summary>
        int LastForecast { get; }

        void Reset();
    }
}
