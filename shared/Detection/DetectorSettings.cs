namespace Embedded.Shared.Detection
{
    /// <summary>
    /// The detector settings a user tunes on a device without retraining (sensitivity, hold-off, warm-up,
    /// state hold), laid over a model's calibrated <see cref="DetectorParameters"/>. A field left at
    /// <see cref="Keep"/> keeps the model's value. Integer only, so the firmware can apply it too.
    /// </summary>
    public sealed class DetectorSettings
    {
        /// <summary>Leave the model's value.</summary>
        public const int Keep = -1;

        /// <summary>
        /// Sensitivity: the threshold as decades of tail probability, in 1/256 decades (6 decades = 1536): an
        /// error this unlikely on one tracker sets the state and alarms. As calibration does, the threshold is
        /// raised by log10 of the number of error trackers (<see cref="DetectorParameters.PerTrackerRaise"/>), so
        /// the model's own sensitivity laid over it changes nothing. The state's exit level keeps its ratio to
        /// the threshold.
        /// </summary>
        public int ThresholdDecadesQ8 = Keep;

        /// <summary>Samples after an alarm during which weaker events do not alarm (0..65535).</summary>
        public int HoldOffSamples = Keep;

        /// <summary>Samples scored 0 at the start (0..65535).</summary>
        public int WarmupSamples = Keep;

        /// <summary>Calm samples that end the abnormal state (0..65535; 0 = no state, IsAnomaly is the alarm).</summary>
        public int StateHoldSamples = Keep;

        /// <summary>A threshold in decades (a user's option, e.g. 6.5) as <see cref="ThresholdDecadesQ8"/>: rounded, at least 1/256.</summary>
        public static int DecadesQ8(double decades)
        {
            int q8 = (int)(decades * 256 + 0.5);
            return q8 < 1 ? 1 : q8;
        }

        /// <summary>Whether any field is set.</summary>
        public bool IsEmpty
        {
            get { return ThresholdDecadesQ8 == Keep && HoldOffSamples == Keep && WarmupSamples == Keep && StateHoldSamples == Keep; }
        }

        /// <summary>
        /// Writes the set fields into <paramref name="parameters"/> and validates the result (throws
        /// <see cref="Embedded.Shared.Model.ModelFormatException"/> naming a field out of range).
        /// </summary>
        public void ApplyTo(DetectorParameters parameters)
        {
            if (ThresholdDecadesQ8 != Keep)
            {
                if (ThresholdDecadesQ8 < 1 || ThresholdDecadesQ8 > parameters.ScoreDecades * 256)
                    throw new System.ArgumentException("threshold must be above 0 and at most " + parameters.ScoreDecades.ToString() + " decades (the model's score scale), is " + ThresholdDecadesQ8.ToString() + "/256");
                long raised = ((long)ThresholdDecadesQ8 * AnomalyDetector.ScoreOne + parameters.ScoreDecades * 128L) / (parameters.ScoreDecades * 256L) + parameters.PerTrackerRaise();
                int threshold = raised < 1 ? 1 : raised > AnomalyDetector.ScoreOne ? AnomalyDetector.ScoreOne : (int)raised;
                int old = parameters.Threshold;
                parameters.StateExit = old > 0 ? (int)((long)parameters.StateExit * threshold / old) : threshold / 4;
                parameters.Threshold = threshold;
            }
            if (HoldOffSamples != Keep) parameters.HoldOffSamples = HoldOffSamples;
            if (WarmupSamples != Keep) parameters.WarmupSamples = WarmupSamples;
            if (StateHoldSamples != Keep) parameters.StateHoldSamples = StateHoldSamples;
            parameters.Validate();
        }

        /// <summary>The model's detector with these settings laid over it, or null when the model has none (see <see cref="StreamMonitor.ModelDetector"/>).</summary>
        public AnomalyDetector CreateDetector(Embedded.Shared.Model.ModelImage model)
        {
            AnomalyDetector own = StreamMonitor.ModelDetector(model);
            if (own == null || IsEmpty) return own;
            DetectorParameters parameters = DetectorParameters.Parse(model.DetectorSection);
            ApplyTo(parameters);
            return new AnomalyDetector(parameters);
        }
    }
}
