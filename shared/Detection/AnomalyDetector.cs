using System;
using Embedded.Shared.Model;

namespace Embedded.Shared.Detection
{
    /// <summary>
    /// Integer anomaly score in [0, ScoreOne] from each new sample and the forecast made for it.
    /// Parameters come from the model's detector section. Zero allocations after construction.
    /// CONTRACT STUB: owned by the detection work (issue 4).
    /// </summary>
    public sealed class AnomalyDetector
    {
        /// <summary>The fixed-point value of a score of 1.0.</summary>
        public const int ScoreOne = 1 << 16;

        public AnomalyDetector(ModelImage model)
        {
            throw new NotImplementedException("AnomalyDetector");
        }

        /// <summary>
        /// Feeds the actual values of a sample (fixed point, Model.OutputFracBits) and the forecast the
        /// predictor made for it; returns the anomaly score in [0, ScoreOne].
        /// </summary>
        public int Update(int[] actual, int[] predicted)
        {
            throw new NotImplementedException();
        }

        /// <summary>Whether the last score crossed the calibrated threshold.</summary>
        public bool IsAnomaly { get; private set; }

        public void Reset()
        {
            throw new NotImplementedException();
        }
    }
}
