using System;
using Embedded.Shared.Model;

namespace Embedded.Shared.Detection
{
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
    /// Version 7 adds a frozen-reading check per channel: a reading that has repeated for more samples than the
    /// channel's frozen run (calibrated from the longest run in the calibration rows) holds the state while it
    /// lasts (its start alarms as an episode's start does): a sensor that stopped updating gives small errors,
    /// which no tracker flags. It does not enter the score, which ranks how unusual the process is.
    /// </summary>
    public sealed class AnomalyDetector
    {
        /// <summary>The fixed-point value of a score of 1.0.</summary>
        public const int ScoreOne = 1 << 16;

        /// <summary>Marks a missing value (the PC side maps NaN and empty fields to it).</summary>
        public const int Missing = int.MinValue;

        private const int ZFracBits = GaussianTail.ZFracBits;
        private const int MaxZ = 16 << ZFracBits;

        private readonly DetectorParameters _parameters;
        // The parameters Update reads, copied at construction: on an interpreter (nanoCLR) each
        // _parameters.X is one more field load, and Update reads about twenty of them per sample.
        private readonly int _channels;
        private readonly int _window;
        private readonly int _statisticsShift;
        private readonly int _scoreDecades;
        private readonly int _warmupSamples;
        private readonly int _holdOffSamples;
        private readonly int _seasonPeriod;
        private readonly int _threshold;
        private readonly int _sigmaFloor;
        private readonly int _spatialTolerance;
        private readonly int _spatialScore;
        private readonly int _holdOffMargin;
        private readonly int _holdOffRatio;
        private readonly int _confidenceSamples;
        private readonly int _stateExit;
        private readonly int _stateHoldSamples;
        private readonly bool _signedErrors;
        private readonly int _learningClip;
        // Frozen-reading check (version 7): per channel the run limit (null when every channel is off), the last
        // reading and how many samples in a row it has been read.
        private readonly int[] _frozenRun;
        private readonly int[] _lastReading;
        private readonly int[] _readingRun;
        private readonly int[] _scale;
        private readonly int[][] _history;
        private int _historyNext;
        private int _historyCount;
        private readonly int[][] _recent;
        // Sums of the newest W normalised errors: |error| <= 2^20 and W <= 64, so they fit in 32 bits.
        private readonly int[] _recentSum;
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
        // The outputs, as fields rather than auto-properties: a property set is a method call on nanoCLR.
        private bool _isAnomaly;
        private bool _isAlarm;
        private int _leadingTracker;
        private int _stateScore;
        private int _lastScore;
        private int _missingSamples;

        public AnomalyDetector(ModelImage model)
            : this(ParametersOf(model))
        {
        }

        public AnomalyDetector(DetectorParameters parameters)
        {
            if (parameters == null) throw new ArgumentNullException("parameters");
            parameters.Validate();
            _parameters = parameters;
            int channels = parameters.Channels;
            _channels = channels;
            _window = parameters.AverageWindow;
            _statisticsShift = parameters.StatisticsShift;
            _scoreDecades = parameters.ScoreDecades;
            _warmupSamples = parameters.WarmupSamples;
            _holdOffSamples = parameters.HoldOffSamples;
            _seasonPeriod = parameters.SeasonPeriod;
            _threshold = parameters.Threshold;
            _sigmaFloor = parameters.SigmaFloor;
            _spatialTolerance = parameters.SpatialTolerance;
            _spatialScore = parameters.SpatialScore;
            _holdOffMargin = parameters.HoldOffMargin;
            _holdOffRatio = parameters.HoldOffRatio;
            _confidenceSamples = parameters.ConfidenceSamples;
            _stateExit = parameters.StateExit;
            _stateHoldSamples = parameters.StateHoldSamples;
            _signedErrors = parameters.SignedErrors;
            _learningClip = parameters.LearningClip;
            _frozenRun = parameters.HasFrozenRun ? (int[])parameters.FrozenRun.Clone() : null;
            _lastReading = new int[channels];
            _readingRun = new int[channels];
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
            _recentSum = new int[trackers];
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

        /// <summary>The parameters (Update uses the values they had at construction).</summary>
        public DetectorParameters Parameters
        {
            get { return _parameters; }
        }

        /// <summary>Number of channels Update reads from each array.</summary>
        public int Channels
        {
            get { return _channels; }
        }

        /// <summary>
        /// The abnormal state after the last sample: set when the error trackers' score reaches the
        /// threshold, cleared once it has stayed below the exit level for the state hold. With a section
        /// older than version 5 (no state hold) it is <see cref="IsAlarm"/>, as those ran.
        /// </summary>
        public bool IsAnomaly
        {
            get { return _isAnomaly; }
        }

        /// <summary>Whether the last sample raised an alarm: its score after the hold-off reached the threshold.</summary>
        public bool IsAlarm
        {
            get { return _isAlarm; }
        }

        /// <summary>Kinds of <see cref="LeadingTracker"/>: the absolute forecast error ...</summary>
        public const int LeadByError = 0;
        /// <summary>... the error against the value one season ago ...</summary>
        public const int LeadBySeason = 1;
        /// <summary>... the signed forecast error (a bias) ...</summary>
        public const int LeadByBias = 2;
        /// <summary>... a value beyond the range seen so far ...</summary>
        public const int LeadByRange = 3;
        /// <summary>... or a reading that stopped changing (version 7).</summary>
        public const int LeadByFrozen = 4;

        /// <summary>
        /// What gave the last sample's score: channel * 8 + kind (<see cref="LeadByError"/>, <see cref="LeadBySeason"/>,
        /// <see cref="LeadByBias"/>, <see cref="LeadByRange"/>, <see cref="LeadByFrozen"/>), or -1 when nothing scored.
        /// Says which sensor an alarm is about (an error tracker wins a tie with the range check; a frozen reading
        /// wins over both). <see cref="LeadingChannel"/> and <see cref="LeadingKind"/> take it apart.
        /// </summary>
        public int LeadingTracker
        {
            get { return _leadingTracker; }
        }

        /// <summary>The channel of a <see cref="LeadingTracker"/> value (-1 for -1).</summary>
        public static int LeadingChannel(int leadingTracker)
        {
            return leadingTracker < 0 ? -1 : leadingTracker >> 3;
        }

        /// <summary>The kind (<see cref="LeadByError"/> .. <see cref="LeadByFrozen"/>) of a <see cref="LeadingTracker"/> value (-1 for -1).</summary>
        public static int LeadingKind(int leadingTracker)
        {
            return leadingTracker < 0 ? -1 : leadingTracker & 7;
        }

        /// <summary>The error trackers' score at the last sample (after the learning ramp, before the hold-off), or ScoreOne while a reading is frozen: what drives the state.</summary>
        public int StateScore
        {
            get { return _stateScore; }
        }

        /// <summary>The last score returned by Update.</summary>
        public int LastScore
        {
            get { return _lastScore; }
        }

        /// <summary>Samples seen with at least one value present (saturates at int.MaxValue).</summary>
        public int Samples
        {
            get { return _samples; }
        }

        /// <summary>Samples whose every channel was missing.</summary>
        public int MissingSamples
        {
            get { return _missingSamples; }
        }

        /// <summary>Whether the warm-up is over (scores can be non-zero).</summary>
        public bool IsWarm
        {
            get { return _samples > _warmupSamples; }
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
                _lastReading[c] = 0;
                _readingRun[c] = 0;
            }
            _historyNext = 0;
            _historyCount = 0;
            _samples = 0;
            _envelope = 0;
            _envelopeDecay = 0;
            _missingSamples = 0;
            _isAnomaly = false;
            _isAlarm = false;
            _leadingTracker = -1;
            _abnormal = false;
            _calmSamples = 0;
            _sinceAlarm = int.MaxValue;
            _episodeAlarmed = false;
            _lastScore = 0;
        }

        /// <summary>
        /// Feeds the actual values of a sample (fixed point, Model.OutputFracBits) and the forecast the
        /// predictor made for it; returns the anomaly score in [0, ScoreOne].
        /// </summary>
        public int Update(int[] actual, int[] predicted)
        {
            int channels = _channels;
            if (actual == null || predicted == null || actual.Length < channels || predicted.Length < channels)
                throw new ArgumentException("Update needs " + channels.ToString() + " actual and predicted values");

            // Written for an interpreter (nanoCLR runs every IL instruction, inlines nothing): the trackers and the
            // range check run inline in one loop, with the per-tracker arrays in locals, and the learning ramp,
            // the hold-off and the state below are inline too. The arithmetic is the straightforward one's, bit
            // for bit (tests/Embedded.Detection.Tests/AnomalyDetectorEquivalenceTests checks it sample by sample).
            bool anyPresent = false;
            bool warm = _samples >= _warmupSamples;
            bool seasonReady = _seasonPeriod > 0 && _historyCount == _seasonPeriod;
            // The error trackers' score (it drives the state) and the range's (events only).
            int trackerScore = 0;
            int spatialScore = 0;
            int leading = -1;
            int spatialLeading = -1;
            bool signedErrors = _signedErrors;
            int tolerance = _spatialTolerance;
            int window = _window;
            int[] scale = _scale;
            int[][] recents = _recent;
            int[] sums = _recentSum;
            int[] counts = _recentCount;
            int[] nexts = _recentNext;
            long[] means = _meanAccumulator;
            long[] variances = _varianceAccumulator;
            long[] sigmas = _sigma;
            int windowShift = _windowShift;
            int shift = _statisticsShift;
            int sigmaFloor = _sigmaFloor;
            int scoreDecades = _scoreDecades;
            int clip = _learningClip;
            int[] frozenRun = _frozenRun;
            int[] readingRun = _readingRun;
            int[] lastReading = _lastReading;
            int frozenLeading = -1;
            for (int c = 0; c < channels; c++)
            {
                int a = actual[c];
                int p = predicted[c];
                if (a == Missing || p == Missing) continue;
                anyPresent = true;
                if (frozenRun != null)
                {
                    // Frozen reading: the same value for more samples in a row than the channel's run limit.
                    int run = readingRun[c];
                    if (run > 0 && a == lastReading[c])
                    {
                        if (run < int.MaxValue) run++;
                    }
                    else
                    {
                        run = 1;
                        lastReading[c] = a;
                    }
                    readingRun[c] = run;
                    if (run > frozenRun[c] && frozenRun[c] > 0 && frozenLeading < 0) frozenLeading = 8 * c + LeadByFrozen;
                }
                // Normalised signed error, Q12 in units of the calibrated error scale, clamped to +-256 scales.
                // The absolute tracker's value is its magnitude: division truncates toward zero and the clamp is
                // symmetric, so |clamp(e * 2^12 / s)| = clamp(|e| * 2^12 / s), one division for both trackers.
                long signedError = (((long)a - p) << DetectorParameters.ErrorFracBits) / scale[c];
                if (signedError > DetectorParameters.MaxNormalisedError) signedError = DetectorParameters.MaxNormalisedError;
                else if (signedError < -DetectorParameters.MaxNormalisedError) signedError = -DetectorParameters.MaxNormalisedError;
                int signedValue = (int)signedError;

                // The trackers in the order the leading tracker breaks ties by: absolute error, signed error, season.
                for (int kind = 0; kind < 3; kind++)
                {
                    int k;
                    int value;
                    int lead;
                    if (kind == 0)
                    {
                        k = c;
                        value = signedValue < 0 ? -signedValue : signedValue;
                        lead = LeadByError;
                    }
                    else if (kind == 1)
                    {
                        if (!signedErrors) continue;
                        k = _signedBase + c;
                        value = signedValue;
                        lead = LeadByBias;
                    }
                    else
                    {
                        if (!seasonReady) break;
                        k = channels + c;
                        long seasonError = (long)a - _history[c][_historyNext];
                        if (seasonError < 0) seasonError = -seasonError;
                        seasonError = (seasonError << DetectorParameters.ErrorFracBits) / scale[k];
                        if (seasonError > DetectorParameters.MaxNormalisedError) seasonError = DetectorParameters.MaxNormalisedError;
                        value = (int)seasonError;
                        lead = LeadBySeason;
                    }

                    // The short-term mean of the tracker's newest W values.
                    int[] recent = recents[k];
                    int next = nexts[k];
                    int sum = sums[k] + value - recent[next];
                    sums[k] = sum;
                    recent[next] = value;
                    next++;
                    if (next == window) next = 0;
                    nexts[k] = next;
                    int count = counts[k];
                    if (count < window)
                    {
                        count++;
                        counts[k] = count;
                        if (count < window) continue;
                    }
                    if (!warm) continue;
                    // sum / W truncated toward zero, as C#'s division is; a power-of-two window (16, the default)
                    // shifts instead (a 64-bit division is a library call on a 32-bit microcontroller).
                    int average;
                    if (windowShift < 0) average = sum / window;
                    else average = sum >= 0 ? sum >> windowShift : -((-sum) >> windowShift);

                    long mean = means[k] >> shift;
                    long variance = variances[k] >> shift;
                    // sigma = floor(sqrt(variance)): the variance moves slowly, so the last sample's root usually
                    // still is (root^2 <= variance < (root + 1)^2) or is one away; else SquareRoot. An unset root
                    // (-1) always ends in SquareRoot, as the variance is never negative.
                    long sigma = sigmas[k];
                    long square = sigma * sigma;
                    if (square > variance)
                    {
                        sigma--;
                        // (sigma + 1)^2 = square > variance: sigma is the root when its square is not.
                        if (sigma * sigma > variance) sigma = SquareRoot(k, variance);
                        else sigmas[k] = sigma;
                    }
                    else
                    {
                        long above = square + 2 * sigma + 1;
                        if (above <= variance)
                        {
                            sigma++;
                            // sigma^2 = above <= variance: sigma is the root when (sigma + 1)^2 exceeds it.
                            if (above + 2 * sigma + 1 <= variance) sigma = SquareRoot(k, variance);
                            else sigmas[k] = sigma;
                        }
                    }
                    if (sigma < sigmaFloor) sigma = sigmaFloor;
                    // The step the statistics learn from (before the clip) is the excess the score judges.
                    long step = average - mean;
                    // An absolute error scores when its short-term mean is unusually high; the signed one (two-sided)
                    // when its mean has moved either way.
                    long excess = step;
                    if (kind == 1 && excess < 0) excess = -excess;

                    if (excess > 0)
                    {
                        // |average|, |mean| <= 2^20 (normalised errors are clamped there and the running mean is
                        // a weighted mean of averages that started within it), so excess * 2^8 < 2^30; the spread
                        // is at most about 2^22 (the square root of the largest squared step): 32-bit division.
                        int z = (int)(excess << ZFracBits) / (int)sigma;
                        // GaussianTail.Decades(min(z, 16)), inline: table steps of 1/16, linear in between.
                        int decades;
                        if (z >= MaxZ)
                        {
                            decades = GaussianTail.DecadesTable[MaxZ >> 4];
                        }
                        else
                        {
                            int index = z >> 4;
                            int below = GaussianTail.DecadesTable[index];
                            decades = below + (((GaussianTail.DecadesTable[index + 1] - below) * (z & 15)) >> 4);
                        }
                        // decades is Q12 and at most 233036 < 2^18; ScoreOne / 2^12 = 16.
                        int scaled = (decades << 4) / scoreDecades;
                        int trackScore = scaled > ScoreOne ? ScoreOne : scaled;
                        if (trackScore > trackerScore) { trackerScore = trackScore; leading = 8 * c + lead; }
                    }

                    // Learn after scoring, so a sample never explains itself away. Beyond the learning clip a sample
                    // teaches as much as one at the clip: an episode does not become the baseline within itself.
                    if (clip > 0)
                    {
                        long limit = (sigma * clip) >> DetectorParameters.LearningClipFracBits;
                        if (limit < 1) limit = 1;
                        if (step > limit) step = limit;
                        else if (step < -limit) step = -limit;
                    }
                    means[k] += step;
                    variances[k] += step * step - variance;
                }

                if (tolerance > 0)
                {
                    // Spatial anomaly: a value beyond the range seen so far (the calibrated range, then the stream
                    // since Reset) by more than the tolerance (a fraction of that range) scores SpatialScore. The
                    // range then grows to include the value. low > high: no range yet; the first value starts it.
                    int low = _low[c];
                    int high = _high[c];
                    if (low > high)
                    {
                        _low[c] = a;
                        _high[c] = a;
                    }
                    else
                    {
                        long range = (long)high - low;
                        if (range > 0)
                        {
                            long margin = (range * tolerance) >> DetectorParameters.ToleranceFracBits;
                            if ((a > high + margin || a < low - margin) && _spatialScore > spatialScore)
                            {
                                spatialScore = _spatialScore;
                                spatialLeading = 8 * c + LeadByRange;
                            }
                        }
                        if (a < low) _low[c] = a;
                        if (a > high) _high[c] = a;
                    }
                }
            }
            if (anyPresent && _seasonPeriod > 0) RememberSeason(actual, predicted);
            if (!warm) frozenLeading = -1;
            _leadingTracker = !warm ? -1 : (frozenLeading >= 0 ? frozenLeading : (spatialScore > trackerScore ? spatialLeading : leading));

            if (!anyPresent)
            {
                // Nothing to judge: the state and the hold-off stay as they are.
                _missingSamples++;
                _isAlarm = false;
                if (_stateHoldSamples == 0) _isAnomaly = false;
                _lastScore = 0;
                return 0;
            }
            int samples = _samples;
            if (samples < int.MaxValue)
            {
                samples++;
                _samples = samples;
            }
            if (!warm)
            {
                trackerScore = 0;
                spatialScore = 0;
            }
            // Learning ramp (see ApplyConfidenceRamp), inline: over once R samples are seen.
            int ramp = _confidenceSamples;
            bool ramping = ramp != 0 && samples < ramp;
            if (ramping) trackerScore = ApplyConfidenceRamp(trackerScore);
            // A frozen reading holds the state at full strength; the event score below leaves it out.
            int stateScore = frozenLeading >= 0 ? ScoreOne : trackerScore;
            _stateScore = stateScore;
            // The event score is ramp(max(range, ramp(trackers))): during the ramp the trackers' share is
            // damped by the square of the factor. Measured against one ramp for both (2026-12-07, seeds 1-3):
            // NAB short-series proxy 67.3 against 65.2, NAB-18 73.5 against 73.0; the state is unaffected.
            int score = spatialScore > trackerScore ? spatialScore : trackerScore;
            if (ramping) score = ApplyConfidenceRamp(score);

            // Hold-off (see ApplyHoldOff), inline.
            if (_holdOffSamples != 0)
            {
                int envelope = _envelope;
                if (envelope > 0)
                {
                    envelope -= _envelopeDecay;
                    if (envelope < 0) envelope = 0;
                    _envelope = envelope;
                }
                if (score > envelope) RaiseEnvelope(score);
                else score = 0;
            }
            int threshold = _threshold;
            bool eventAlarm = score >= threshold && score > 0;
            bool alarm;
            if (_stateHoldSamples == 0)
            {
                alarm = eventAlarm;
                _isAnomaly = eventAlarm;
            }
            else
            {
                // An episode's start alarms even when its rising scores stayed under the hold-off envelope
                // (unless an alarm within the hold-off already reported it). The score is left as the
                // hold-off made it: it ranks events (NAB's scorer thresholds it), the alarm marks the episode.
                bool wasAbnormal = _abnormal;
                // The abnormal state with hysteresis (see UpdateState), inline.
                bool abnormal = wasAbnormal;
                if (stateScore >= threshold && stateScore > 0)
                {
                    abnormal = true;
                    _calmSamples = 0;
                }
                else if (abnormal)
                {
                    if (stateScore < _stateExit || stateScore == 0)
                    {
                        _calmSamples++;
                        if (_calmSamples >= _stateHoldSamples) abnormal = false;
                    }
                    else
                    {
                        _calmSamples = 0;
                    }
                }
                _abnormal = abnormal;
                _isAnomaly = abnormal;
                if (abnormal && !wasAbnormal && _sinceAlarm >= _holdOffSamples) eventAlarm = true;
                // One alarm per episode: while the state holds after an alarm, stronger scores are the same episode.
                alarm = eventAlarm && !(wasAbnormal && _episodeAlarmed);
                if (alarm && abnormal) _episodeAlarmed = true;
                if (!abnormal) _episodeAlarmed = false;
            }
            _isAlarm = alarm;
            if (alarm) _sinceAlarm = 0;
            else if (_sinceAlarm < int.MaxValue) _sinceAlarm++;
            _lastScore = score;
            return score;
        }

        /// <summary>
        /// Learning ramp: over the first R = ConfidenceSamples samples since Reset the score is scaled by
        /// (R + 3n) / 4R, from a quarter at the start to all of it at R (n samples seen). Statistics and a
        /// range fresh from a short calibration (in-sample forecast errors, a range seen over a few hundred
        /// rows) overstate how unusual the first out-of-sample errors and new extremes are; the ramp lets
        /// them earn trust as the running statistics fill their memory, while the ordering of scores at any
        /// one time is kept. Called while n &lt; R only.
        /// </summary>
        private int ApplyConfidenceRamp(int score)
        {
            int ramp = _confidenceSamples;
            // From a quarter of the score at the start to all of it at R: (R + 3n) / 4R.
            return (int)(((long)score * (ramp + 3L * _samples)) / (4L * ramp));
        }

        /// <summary>
        /// Hold-off: reports an event once. A score above the envelope of recent alarms passes unchanged and
        /// sets the envelope to itself plus the hold-off margin and ratio (score * (1 + ratio) + margin), which
        /// then decays linearly at score / hold-off per sample; scores under the envelope are reported as 0.
        /// A clearly stronger event during the hold-off still gets through; a rising burst, or a run of
        /// saturated 1.0 scores, raises one alarm.
        /// </summary>
        private void RaiseEnvelope(int score)
        {
            // score <= 2^16 and the ratio <= 2^10: the product fits in 32 bits.
            _envelope = score + _holdOffMargin + ((score * _holdOffRatio) >> DetectorParameters.RatioFracBits);
            int decay = score / _holdOffSamples;
            _envelopeDecay = decay < 1 ? 1 : decay;
        }

        /// <summary>Pushes this sample into the season ring; a missing value is remembered as its forecast.</summary>
        private void RememberSeason(int[] actual, int[] predicted)
        {
            for (int c = 0; c < _history.Length; c++)
            {
                int a = actual[c];
                if (a == Missing) a = predicted[c] == Missing ? _history[c][_historyNext] : predicted[c];
                _history[c][_historyNext] = a;
            }
            _historyNext++;
            if (_historyNext == _seasonPeriod) _historyNext = 0;
            if (_historyCount < _seasonPeriod) _historyCount++;
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
