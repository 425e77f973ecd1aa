using System;
using Embedded.Shared.Model;
using Embedded.Shared.Detection;

namespace Embedded.Detection.Tests
{
    // Test-only: AnomalyDetector as it was before the interpreter speed-up (main at aca8881), kept verbatim
    // as the reference the optimised detector must match bit for bit (AnomalyDetectorEquivalenceTests).
    /// <summary>
    /// Integer anomaly score in [0, ScoreOne] from each new sample and the forecast made for it, in the
    /// spirit of Numenta's anomaly likelihood: per channel, the absolute forecast error is normalised by
    /// the calibrated error scale, averaged over the newest W samples, and compared with a running
    /// (exponentially forgetting) mean and spread of that average; the two-sided Gaussian tail probability
    /// of the excess, in decades, is the channel's score; the sample's score is the largest channel score.
    /// Parameters come from the model's detector section (<see cref="DetectorParameters"/>). Integer
    /// arithmetic only, zero allocations after construction.
    /// A spatial channel (as in Numenta's HTM detector and ARTime) scores a value beyond the range seen so
    /// far by more than a tolerance (a fraction of that range) at SpatialScore.
    /// With a season period P (found at calibration), each channel also tracks the error of the value
    /// P samples ago as a forecast (a ring of the last P values), through the same statistics, so a
    /// day that breaks the daily pattern is seen even when the one-step forecast keeps up with it.
    /// Faults: a channel whose actual or forecast value is <see cref="Missing"/> is skipped (its statistics
    /// stay as they are); a sample with every channel missing scores 0 and does not advance the warm-up.
    /// Errors are computed in 64 bits and clamped, so saturated or wildly wrong values cannot overflow; a
    /// flat-lined channel's spread never drops below the sigma floor, so tiny errors cannot alarm.
    /// Scores ramp up over the first ConfidenceSamples samples (a learning ramp), then pass a hold-off
    /// that reports each event once.
    /// Version 5 adds, per channel, a tracker of the short-term mean of the signed error (a forecast that
    /// stays off one way: a level the forecaster never learned), and separates the state from the events:
    /// <see cref="IsAnomaly"/> is the abnormal state (entered when the error trackers' score reaches the
    /// threshold, left once it has stayed below the exit level for the state hold), <see cref="IsAlarm"/>
    /// marks events (the score after the hold-off reaching the threshold: an episode's start, or a value
    /// beyond the range seen so far). A range excursion raises an alarm but does not hold the state: the
    /// range grows with a drifting signal, so being near its edge says nothing about now.
    /// </summary>
    internal sealed class ReferenceAnomalyDetector
    {
        /// <summary>The fixed-point value of a score of 1.0.</summary>
        public const int ScoreOne = 1 << 16;

        /// <summary>Marks a missing value (the PC side maps NaN and empty fields to it).</summary>
        public const int Missing = int.MinValue;

        private const int ZFracBits = GaussianTail.ZFracBits;
        private const long MaxZ = 16L << ZFracBits;

        private readonly DetectorParameters _parameters;
        private readonly int[] _scale;
        private readonly int[][] _history;
        private int _historyNext;
        private int _historyCount;
        private readonly int[][] _recent;
        private readonly long[] _recentSum;
        private readonly int[] _recentCount;
        private readonly int[] _recentNext;
        private readonly long[] _meanAccumulator;
        private readonly long[] _varianceAccumulator;
        // Per tracker, floor(sqrt(variance)) at the last sample: the variance moves slowly, so the next root
        // is usually the same or one away (a few comparisons instead of a 30-step bitwise root).
        private readonly long[] _sigma;
        // log2 of the averaging window when it is a power of two, else -1.
        private readonly int _windowShift;
        private readonly int[] _low;
        private readonly int[] _high;
        private int _samples;
        private int _envelope;
        private int _envelopeDecay;
        private readonly int _signedBase;
        private bool _abnormal;
        private int _calmSamples;
        private int _sinceAlarm;
        private bool _episodeAlarmed;

        public ReferenceAnomalyDetector(ModelImage model)
            : this(ParametersOf(model))
        {
        }

        public ReferenceAnomalyDetector(DetectorParameters parameters)
        {
            if (parameters == null) throw new ArgumentNullException("parameters");
            parameters.Validate();
            _parameters = parameters;
            int channels = parameters.Channels;
            // Trackers 0..C-1 watch the absolute forecast errors, C..2C-1 the seasonal errors, 2C..3C-1 (when
            // on) the signed forecast errors.
            _signedBase = 2 * channels;
            int trackers = parameters.SignedErrors ? 3 * channels : 2 * channels;
            _scale = new int[trackers];
            for (int c = 0; c < channels; c++)
            {
                _scale[c] = parameters.ErrorScale[c];
                _scale[channels + c] = parameters.SeasonScale[c];
                if (parameters.SignedErrors) _scale[_signedBase + c] = parameters.ErrorScale[c];
            }
            _history = new int[parameters.SeasonPeriod > 0 ? channels : 0][];
            for (int c = 0; c < _history.Length; c++) _history[c] = new int[parameters.SeasonPeriod];
            _recent = new int[trackers][];
            for (int k = 0; k < trackers; k++) _recent[k] = new int[parameters.AverageWindow];
            _recentSum = new long[trackers];
            _recentCount = new int[trackers];
            _recentNext = new int[trackers];
            _meanAccumulator = new long[trackers];
            _varianceAccumulator = new long[trackers];
            _sigma = new long[trackers];
            _windowShift = -1;
            for (int s = 0; s <= 6; s++)
            {
                if ((1 << s) == parameters.AverageWindow) _windowShift = s;
            }
            _low = new int[channels];
            _high = new int[channels];
            Reset();
        }

        public DetectorParameters Parameters
        {
            get { return _parameters; }
        }

        /// <summary>Number of channels Update reads from each array.</summary>
        public int Channels
        {
            get { return _parameters.Channels; }
        }

        /// <summary>
        /// The abnormal state after the last sample: set when the error trackers' score reaches the
        /// threshold, cleared once it has stayed below the exit level for the state hold. With a section
        /// older than version 5 (no state hold) it is <see cref="IsAlarm"/>, as those ran.
        /// </summary>
        public bool IsAnomaly { get; private set; }

        /// <summary>Whether the last sample raised an alarm: its score after the hold-off reached the threshold.</summary>
        public bool IsAlarm { get; private set; }

        /// <summary>Kinds of <see cref="LeadingTracker"/>: the absolute forecast error ...</summary>
        public const int LeadByError = 0;
        /// <summary>... the error against the value one season ago ...</summary>
        public const int LeadBySeason = 1;
        /// <summary>... the signed forecast error (a bias) ...</summary>
        public const int LeadByBias = 2;
        /// <summary>... or a value beyond the range seen so far.</summary>
        public const int LeadByRange = 3;

        /// <summary>
        /// What gave the last sample's score: channel * 4 + kind (<see cref="LeadByError"/>, <see cref="LeadBySeason"/>,
        /// <see cref="LeadByBias"/>, <see cref="LeadByRange"/>), or -1 when nothing scored. Says which sensor
        /// an alarm is about (an error tracker wins a tie with the range check).
        /// </summary>
        public int LeadingTracker { get; private set; }

        /// <summary>The error trackers' score at the last sample (after the learning ramp, before the hold-off): what drives the state.</summary>
        public int StateScore { get; private set; }

        /// <summary>The last score returned by Update.</summary>
        public int LastScore { get; private set; }

        /// <summary>Samples seen with at least one value present (saturates at int.MaxValue).</summary>
        public int Samples
        {
            get { return _samples; }
        }

        /// <summary>Samples whose every channel was missing.</summary>
        public int MissingSamples { get; private set; }

        /// <summary>Whether the warm-up is over (scores can be non-zero).</summary>
        public bool IsWarm
        {
            get { return _samples > _parameters.WarmupSamples; }
        }

        /// <summary>Forgets everything seen: back to the calibrated statistics and a fresh warm-up.</summary>
        public void Reset()
        {
            int shift = _parameters.StatisticsShift;
            int channels = _parameters.Channels;
            for (int k = 0; k < _recent.Length; k++)
            {
                int[] recent = _recent[k];
                for (int i = 0; i < recent.Length; i++) recent[i] = 0;
                _recentSum[k] = 0;
                _recentCount[k] = 0;
                _recentNext[k] = 0;
                long mean, std;
                if (k >= _signedBase) { mean = _parameters.SignedMean[k - _signedBase]; std = _parameters.SignedStd[k - _signedBase]; }
                else if (k >= channels) { mean = _parameters.SeasonMean[k - channels]; std = _parameters.SeasonStd[k - channels]; }
                else { mean = _parameters.InitialMean[k]; std = _parameters.InitialStd[k]; }
                _meanAccumulator[k] = mean << shift;
                _varianceAccumulator[k] = (std * std) << shift;
                _sigma[k] = -1;
            }
            for (int c = 0; c < _history.Length; c++)
            {
                int[] history = _history[c];
                for (int i = 0; i < history.Length; i++) history[i] = 0;
            }
            for (int c = 0; c < _low.Length; c++)
            {
                _low[c] = _parameters.RangeLow[c];
                _high[c] = _parameters.RangeHigh[c];
            }
            _historyNext = 0;
            _historyCount = 0;
            _samples = 0;
            _envelope = 0;
            _envelopeDecay = 0;
            MissingSamples = 0;
            IsAnomaly = false;
            IsAlarm = false;
            LeadingTracker = -1;
            _abnormal = false;
            _calmSamples = 0;
            _sinceAlarm = int.MaxValue;
            _episodeAlarmed = false;
            LastScore = 0;
        }

        /// <summary>
        /// Feeds the actual values of a sample (fixed point, Model.OutputFracBits) and the forecast the
        /// predictor made for it; returns the anomaly score in [0, ScoreOne].
        /// </summary>
        public int Update(int[] actual, int[] predicted)
        {
            int channels = _parameters.Channels;
            if (actual == null || predicted == null || actual.Length < channels || predicted.Length < channels)
                throw new ArgumentException("Update needs " + channels.ToString() + " actual and predicted values");

            bool anyPresent = false;
            bool warm = _samples >= _parameters.WarmupSamples;
            bool seasonReady = _history.Length > 0 && _historyCount == _parameters.SeasonPeriod;
            // The error trackers' score (it drives the state) and the range's (events only).
            int trackerScore = 0;
            int spatialScore = 0;
            int leading = -1;
            int spatialLeading = -1;
            bool signedErrors = _parameters.SignedErrors;
            for (int c = 0; c < channels; c++)
            {
                int a = actual[c];
                int p = predicted[c];
                if (a == Missing || p == Missing) continue;
                anyPresent = true;
                long error = (long)a - p;
                int channelScore = UpdateTracker(c, DetectionMath.Abs(error), warm, false);
                if (channelScore > trackerScore) { trackerScore = channelScore; leading = 4 * c + LeadByError; }
                if (signedErrors)
                {
                    channelScore = UpdateTracker(_signedBase + c, error, warm, true);
                    if (channelScore > trackerScore) { trackerScore = channelScore; leading = 4 * c + LeadByBias; }
                }
                if (_parameters.SpatialTolerance > 0)
                {
                    channelScore = UpdateRange(c, a);
                    if (channelScore > spatialScore) { spatialScore = channelScore; spatialLeading = 4 * c + LeadByRange; }
                }
                if (seasonReady)
                {
                    channelScore = UpdateTracker(channels + c, DetectionMath.Abs((long)a - _history[c][_historyNext]), warm, false);
                    if (channelScore > trackerScore) { trackerScore = channelScore; leading = 4 * c + LeadBySeason; }
                }
            }
            if (anyPresent) RememberSeason(actual, predicted);
            LeadingTracker = !warm ? -1 : (spatialScore > trackerScore ? spatialLeading : leading);

            if (!anyPresent)
            {
                // Nothing to judge: the state and the hold-off stay as they are.
                MissingSamples++;
                IsAlarm = false;
                if (_parameters.StateHoldSamples == 0) IsAnomaly = false;
                LastScore = 0;
                return 0;
            }
            if (_samples < int.MaxValue) _samples++;
            if (!warm)
            {
                trackerScore = 0;
                spatialScore = 0;
            }
            trackerScore = ApplyConfidenceRamp(trackerScore);
            StateScore = trackerScore;
            // The event score is ramp(max(range, ramp(trackers))): during the ramp the trackers' share is
            // damped by the square of the factor. Measured against one ramp for both (2026-12-07, seeds 1-3):
            // NAB short-series proxy 67.3 against 65.2, NAB-18 73.5 against 73.0; the state is unaffected.
            int score = ApplyConfidenceRamp(spatialScore > trackerScore ? spatialScore : trackerScore);

            score = ApplyHoldOff(score);
            bool eventAlarm = score >= _parameters.Threshold && score > 0;
            if (_parameters.StateHoldSamples == 0)
            {
                IsAlarm = eventAlarm;
                IsAnomaly = eventAlarm;
            }
            else
            {
                // An episode's start alarms even when its rising scores stayed under the hold-off envelope
                // (unless an alarm within the hold-off already reported it). The score is left as the
                // hold-off made it: it ranks events (NAB's scorer thresholds it), the alarm marks the episode.
                bool wasAbnormal = _abnormal;
                IsAnomaly = UpdateState(trackerScore);
                if (IsAnomaly && !wasAbnormal && _sinceAlarm >= _parameters.HoldOffSamples) eventAlarm = true;
                // One alarm per episode: while the state holds after an alarm, stronger scores are the same episode.
                IsAlarm = eventAlarm && !(wasAbnormal && _episodeAlarmed);
                if (IsAlarm && IsAnomaly) _episodeAlarmed = true;
                if (!IsAnomaly) _episodeAlarmed = false;
            }
            if (IsAlarm) _sinceAlarm = 0;
            else if (_sinceAlarm < int.MaxValue) _sinceAlarm++;
            LastScore = score;
            return score;
        }

        /// <summary>
        /// The abnormal state with hysteresis: entered when the error trackers' score reaches the threshold,
        /// left after StateHoldSamples consecutive samples below the exit level, so an episode of errors
        /// that rise and dip reads as one.
        /// </summary>
        private bool UpdateState(int trackerScore)
        {
            int threshold = _parameters.Threshold;
            if (trackerScore >= threshold && trackerScore > 0)
            {
                _abnormal = true;
                _calmSamples = 0;
            }
            else if (_abnormal)
            {
                if (trackerScore < _parameters.StateExit || trackerScore == 0)
                {
                    _calmSamples++;
                    if (_calmSamples >= _parameters.StateHoldSamples) _abnormal = false;
                }
                else
                {
                    _calmSamples = 0;
                }
            }
            return _abnormal;
        }

        /// <summary>
        /// Learning ramp: over the first R = ConfidenceSamples samples since Reset the score is scaled by
        /// (R + 3n) / 4R, from a quarter at the start to all of it at R (n samples seen). Statistics and a
        /// range fresh from a short calibration (in-sample forecast errors, a range seen over a few hundred
        /// rows) overstate how unusual the first out-of-sample errors and new extremes are; the ramp lets
        /// them earn trust as the running statistics fill their memory, while the ordering of scores at any
        /// one time is kept.
        /// </summary>
        private int ApplyConfidenceRamp(int score)
        {
            int ramp = _parameters.ConfidenceSamples;
            if (ramp == 0 || _samples >= ramp) return score;
            // From a quarter of the score at the start to all of it at R: (R + 3n) / 4R.
            return (int)(((long)score * (ramp + 3L * _samples)) / (4L * ramp));
        }

        /// <summary>
        /// Reports an event once: a score above the envelope of recent alarms passes unchanged and sets the
        /// envelope to itself plus the hold-off margin and ratio (score * (1 + ratio) + margin), which then
        /// decays linearly at score / hold-off per sample; scores under the envelope are reported as 0.
        /// A clearly stronger event during the hold-off still gets through; a rising burst, or a run of
        /// saturated 1.0 scores, raises one alarm.
        /// </summary>
        private int ApplyHoldOff(int score)
        {
            int total = _parameters.HoldOffSamples;
            if (total == 0) return score;
            if (_envelope > 0)
            {
                _envelope -= _envelopeDecay;
                if (_envelope < 0) _envelope = 0;
            }
            if (score > _envelope)
            {
                RaiseEnvelope(score);
                return score;
            }
            return 0;
        }

        /// <summary>The envelope after a reported score: the score plus the hold-off margin and ratio, decaying over the hold-off.</summary>
        private void RaiseEnvelope(int score)
        {
            int total = _parameters.HoldOffSamples;
            if (total == 0) return;
            _envelope = score + _parameters.HoldOffMargin + (int)(((long)score * _parameters.HoldOffRatio) >> DetectorParameters.RatioFracBits);
            _envelopeDecay = score / total;
            if (_envelopeDecay < 1) _envelopeDecay = 1;
        }

        /// <summary>Pushes this sample into the season ring; a missing value is remembered as its forecast.</summary>
        private void RememberSeason(int[] actual, int[] predicted)
        {
            if (_history.Length == 0) return;
            for (int c = 0; c < _history.Length; c++)
            {
                int a = actual[c];
                if (a == Missing) a = predicted[c] == Missing ? _history[c][_historyNext] : predicted[c];
                _history[c][_historyNext] = a;
            }
            _historyNext++;
            if (_historyNext == _parameters.SeasonPeriod) _historyNext = 0;
            if (_historyCount < _parameters.SeasonPeriod) _historyCount++;
        }

        /// <summary>
        /// Spatial anomaly: a value beyond the range seen so far (the calibrated range, then the stream since
        /// Reset) by more than the tolerance (a fraction of that range) scores SpatialScore. The range then
        /// grows to include the value.
        /// </summary>
        private int UpdateRange(int c, int value)
        {
            // low > high: no range yet (none calibrated, nothing seen since Reset); the first value starts it.
            if (_low[c] > _high[c])
            {
                _low[c] = value;
                _high[c] = value;
                return 0;
            }
            int score = 0;
            long low = _low[c];
            long high = _high[c];
            long range = high - low;
            if (range > 0)
            {
                long margin = (range * _parameters.SpatialTolerance) >> DetectorParameters.ToleranceFracBits;
                if (value > high + margin || value < low - margin) score = _parameters.SpatialScore;
            }
            if (value < _low[c]) _low[c] = value;
            if (value > _high[c]) _high[c] = value;
            return score;
        }

        /// <summary>
        /// One tracker: the short-term mean of the normalised error against its running mean and spread.
        /// An absolute error scores when its mean is unusually high; a signed one (two-sided) when its mean
        /// has moved either way.
        /// </summary>
        private int UpdateTracker(int c, long error, bool warm, bool signed)
        {
            // Normalised error, Q12 in units of the calibrated error scale, clamped to +-256 scales.
            long normalised = (error << DetectorParameters.ErrorFracBits) / _scale[c];
            if (normalised > DetectorParameters.MaxNormalisedError) normalised = DetectorParameters.MaxNormalisedError;
            if (normalised < -DetectorParameters.MaxNormalisedError) normalised = -DetectorParameters.MaxNormalisedError;

            int[] recent = _recent[c];
            int next = _recentNext[c];
            _recentSum[c] += normalised - recent[next];
            recent[next] = (int)normalised;
            next++;
            if (next == recent.Length) next = 0;
            _recentNext[c] = next;
            if (_recentCount[c] < recent.Length) _recentCount[c]++;
            if (_recentCount[c] < recent.Length || !warm) return 0;

            long average = Average(_recentSum[c], recent.Length);
            int shift = _parameters.StatisticsShift;
            long mean = _meanAccumulator[c] >> shift;
            long variance = _varianceAccumulator[c] >> shift;
            long sigma = SquareRoot(c, variance);
            if (sigma < _parameters.SigmaFloor) sigma = _parameters.SigmaFloor;
            long excess = average - mean;
            if (signed && excess < 0) excess = -excess;

            int score = 0;
            if (excess > 0)
            {
                long z = (excess << ZFracBits) / sigma;
                if (z > MaxZ) z = MaxZ;
                long decades = GaussianTail.Decades((int)z);
                // decades is Q12; ScoreOne / 2^12 = 16.
                long scaled = (decades << 4) / _parameters.ScoreDecades;
                score = scaled > ScoreOne ? ScoreOne : (int)scaled;
            }

            // Learn after scoring, so a sample never explains itself away. Beyond the learning clip a sample
            // teaches as much as one at the clip: an episode does not become the baseline within itself.
            long step = average - mean;
            int clip = _parameters.LearningClip;
            if (clip > 0)
            {
                long limit = (sigma * clip) >> DetectorParameters.LearningClipFracBits;
                if (limit < 1) limit = 1;
                if (step > limit) step = limit;
                else if (step < -limit) step = -limit;
            }
            _meanAccumulator[c] += step;
            _varianceAccumulator[c] += step * step - variance;
            return score;
        }

        /// <summary>
        /// sum / window, truncated toward zero as C#'s division is; a power-of-two window (16, the default)
        /// shifts instead (a 64-bit division is a library call on a 32-bit microcontroller).
        /// </summary>
        private long Average(long sum, int window)
        {
            int shift = _windowShift;
            if (shift < 0) return sum / window;
            return sum >= 0 ? sum >> shift : -((-sum) >> shift);
        }

        /// <summary>
        /// Exactly <see cref="DetectionMath.Sqrt"/> of <paramref name="variance"/>: stepped from the tracker's
        /// last root when it is within a few units, computed afresh otherwise.
        /// </summary>
        private long SquareRoot(int k, long variance)
        {
            long root = _sigma[k];
            if (variance <= 0)
            {
                root = 0;
            }
            else if (root < 0)
            {
                root = DetectionMath.Sqrt(variance);
            }
            else
            {
                int steps = 0;
                while (root > 0 && root * root > variance && steps < 4)
                {
                    root--;
                    steps++;
                }
                while ((root + 1) * (root + 1) <= variance && steps < 4)
                {
                    root++;
                    steps++;
                }
                if (root * root > variance || (root + 1) * (root + 1) <= variance) root = DetectionMath.Sqrt(variance);
            }
            _sigma[k] = root;
            return root;
        }

        private static DetectorParameters ParametersOf(ModelImage model)
        {
            if (model == null) throw new ArgumentNullException("model");
            if (model.DetectorSection == null || model.DetectorSection.Length == 0)
                return DetectorParameters.CreateDefault(model.OutputCount < 1 ? 1 : model.OutputCount, model.OutputFracBits);
            return DetectorParameters.Parse(model.DetectorSection);
        }
    }
}
