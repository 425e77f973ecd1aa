using System;
using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Detection
{
    /// <summary>
    /// The per-sample protocol, written once for every host (the CLI's `detect`, the Raspberry Pi app and
    /// the nanoFramework firmware): a <see cref="Predictor"/> and, for a forecaster, the model's
    /// <see cref="AnomalyDetector"/>, stepped one sample at a time. Integer in: each sample holds
    /// Model.InputCount values in fixed point with Model.InputFracBits fraction bits, and
    /// <see cref="Missing"/> (int.MinValue) marks a missing value (see <see cref="ToSample"/>). Per sample:
    /// (1) if a forecast is pending, the targets (the first OutputCount inputs, rescaled to OutputFracBits,
    /// saturating one short of Missing; Missing stays Missing) are scored against it by the detector;
    /// (2) a missing input is bridged by the pending forecast rescaled to InputFracBits (a forecaster's
    /// targets), else by the last value seen in its column (0 before any); (3) the predictor steps.
    /// Out: <see cref="Score"/>, <see cref="IsAnomaly"/> (state), <see cref="IsAlarm"/> (event),
    /// <see cref="HasForecast"/>, <see cref="Forecast"/> (the forecast made for this sample) and
    /// <see cref="NextForecast"/>. Integer arithmetic only; zero allocations per sample after construction.
    /// Shapes that cannot be scored (a detector on a model that is not a forecaster, more forecasts than
    /// inputs, a detector watching another number of channels than the model forecasts) are refused at
    /// construction with an <see cref="ArgumentException"/>, never per sample.
    /// </summary>
    public sealed class StreamMonitor
    {
        /// <summary>Marks a missing value (<see cref="AnomalyDetector.Missing"/>).</summary>
        public const int Missing = AnomalyDetector.Missing;

        private readonly Predictor _predictor;
        private readonly AnomalyDetector _detector;
        private readonly int _toOutput;
        private readonly int _targets;
        private readonly int[] _input;
        private readonly int[] _actual;
        private readonly int[] _lastSeen;
        private int[] _pending;
        private int[] _reported;
        private bool _hasPending;

        /// <summary>The model on the portable kernel, with the model's detector (see <see cref="ModelDetector"/>).</summary>
        public StreamMonitor(ModelImage model)
            : this(model, PortableKernel.Instance)
        {
        }

        /// <summary>The model on the given kernel, with the model's detector (see <see cref="ModelDetector"/>).</summary>
        public StreamMonitor(ModelImage model, IKernel kernel)
            : this(model, kernel, ModelDetector(model))
        {
        }

        /// <summary>
        /// The model on the given kernel with the given detector (null: forecasts only). The detector must
        /// watch OutputCount channels of a forecaster whose targets are its first OutputCount inputs.
        /// </summary>
        public StreamMonitor(ModelImage model, IKernel kernel, AnomalyDetector detector)
        {
            if (model == null) throw new ArgumentNullException("model");
            if (detector != null)
            {
                CheckShape(model);
                if (detector.Channels != model.OutputCount)
                {
                    throw new ArgumentException("the detector watches " + detector.Channels.ToString()
                        + " channel(s) but the model forecasts " + model.OutputCount.ToString());
                }
            }
            _predictor = new Predictor(model, kernel);
            _detector = detector;
            _toOutput = model.OutputFracBits - model.InputFracBits;
            // A forecaster's targets are its first OutputCount inputs: they are scored and bridged by the forecast.
            _targets = model.Task == TaskKind.Forecast
                ? (model.OutputCount < model.InputCount ? model.OutputCount : model.InputCount)
                : 0;
            _input = new int[model.InputCount];
            _actual = new int[model.OutputCount];
            _lastSeen = new int[model.InputCount];
            _pending = new int[model.OutputCount];
            _reported = new int[model.OutputCount];
        }

        /// <summary>
        /// The detector a model carries: null for a model that is not a forecaster or has no detector
        /// section. Throws <see cref="ArgumentException"/> when a forecaster with a detector section has
        /// more outputs than inputs, and what <see cref="AnomalyDetector(ModelImage)"/> throws for a bad section.
        /// </summary>
        public static AnomalyDetector ModelDetector(ModelImage model)
        {
            if (model == null) throw new ArgumentNullException("model");
            if (model.Task != TaskKind.Forecast || model.DetectorSection.Length == 0) return null;
            CheckShape(model);
            return new AnomalyDetector(model);
        }

        private static void CheckShape(ModelImage model)
        {
            if (model.Task != TaskKind.Forecast)
            {
                throw new ArgumentException("the detector needs a forecasting model; this one is task "
                    + ((int)model.Task).ToString());
            }
            if (model.OutputCount > model.InputCount)
            {
                throw new ArgumentException("the model forecasts " + model.OutputCount.ToString() + " values from "
                    + model.InputCount.ToString() + " input(s); the detector needs its targets among the inputs");
            }
        }

        public ModelImage Model
        {
            get { return _predictor.Model; }
        }

        public Predictor Predictor
        {
            get { return _predictor; }
        }

        /// <summary>The detector in use, or null (forecasts only; scores stay 0).</summary>
        public AnomalyDetector Detector
        {
            get { return _detector; }
        }

        public int InputCount
        {
            get { return _input.Length; }
        }

        public int OutputCount
        {
            get { return _actual.Length; }
        }

        /// <summary>Whether a forecast had been made for the last sample (false for the first one after construction or Reset).</summary>
        public bool HasForecast { get; private set; }

        /// <summary>The last sample's score in [0, AnomalyDetector.ScoreOne] (0 without a detector or a forecast).</summary>
        public int Score { get; private set; }

        /// <summary>The detector's abnormal state after the last sample (what a LED or relay follows).</summary>
        public bool IsAnomaly { get; private set; }

        /// <summary>Whether the last sample raised an alarm (an event: what messages report).</summary>
        public bool IsAlarm { get; private set; }

        /// <summary>Whether the last sample lay beyond the calibrated values by more than their range (see <see cref="OutOfRangeSamples"/>).</summary>
        public bool IsOutOfRange { get; private set; }

        /// <summary>Samples since construction or Reset whose targets lay beyond the calibrated values by more than their whole range (saturates).</summary>
        public int OutOfRangeSamples { get; private set; }

        /// <summary>
        /// The forecast that was made for the last sample (OutputFracBits). Without one (HasForecast false)
        /// the sample's own targets stand in (rescaled; a missing one is 0). Overwritten by the next Step.
        /// </summary>
        public int[] Forecast
        {
            get { return _reported; }
        }

        /// <summary>The forecast for the next sample, made by the last Step (OutputFracBits; zeros before any).</summary>
        public int[] NextForecast
        {
            get { return _pending; }
        }

        /// <summary>The inputs the predictor was stepped with (missing values bridged; InputFracBits).</summary>
        public int[] Input
        {
            get { return _input; }
        }

        /// <summary>
        /// One sample: scores it against the pending forecast, bridges its missing values, steps the
        /// predictor. Returns <see cref="Score"/>.
        /// </summary>
        public int Step(int[] sample)
        {
            int[] input = _input;
            if (sample == null || sample.Length < input.Length)
            {
                throw new ArgumentException("a sample needs " + input.Length.ToString() + " values", "sample");
            }
            bool hadForecast = _hasPending;
            int[] forecast = _pending;
            int[] reported = _reported;
            int targets = _targets;

            // 1. Score the targets against the forecast made for them.
            int score = 0;
            bool anomaly = false;
            bool alarm = false;
            bool outOfRange = false;
            if (hadForecast && _detector != null)
            {
                int[] actual = _actual;
                for (int i = 0; i < actual.Length; i++)
                {
                    int value = sample[i];
                    actual[i] = value == Missing ? Missing : Rescale(value, _toOutput);
                }
                score = _detector.Update(actual, forecast);
                anomaly = _detector.IsAnomaly;
                alarm = _detector.IsAlarm;
                outOfRange = BeyondCalibration(actual);
            }

            // 2. Bridge missing values: the forecast made for them, else the last value seen.
            for (int i = 0; i < input.Length; i++)
            {
                int value = sample[i];
                if (value == Missing)
                {
                    value = hadForecast && i < targets ? Rescale(forecast[i], -_toOutput) : _lastSeen[i];
                }
                _lastSeen[i] = value;
                input[i] = value;
            }

            // What is reported as this sample's forecast: the pending one, or the sample standing in.
            if (!hadForecast)
            {
                for (int i = 0; i < forecast.Length; i++)
                {
                    int value = i < targets ? sample[i] : Missing;
                    forecast[i] = value == Missing ? 0 : Rescale(value, _toOutput);
                }
            }

            // 3. Step into the other buffer; the forecast made for this sample stays readable until the next Step.
            _predictor.Step(input, reported);
            for (int i = 0; i < reported.Length; i++)
            {
                if (reported[i] == Missing) reported[i] = Missing + 1;
            }
            _pending = reported;
            _reported = forecast;

            _hasPending = true;
            HasForecast = hadForecast;
            Score = score;
            IsAnomaly = anomaly;
            IsAlarm = alarm;
            IsOutOfRange = outOfRange;
            if (outOfRange && OutOfRangeSamples < int.MaxValue) OutOfRangeSamples++;
            return score;
        }

        /// <summary>
        /// Whether a target lies beyond the values the model was calibrated on by more than their whole
        /// range (a model that does not fit its input: another sensor, other units): the scores then say
        /// little, so the caller warns. Channels without a calibrated range are not judged.
        /// </summary>
        private bool BeyondCalibration(int[] actual)
        {
            DetectorParameters p = _detector.Parameters;
            for (int i = 0; i < actual.Length; i++)
            {
                int value = actual[i];
                if (value == Missing) continue;
                long low = p.RangeLow[i];
                long high = p.RangeHigh[i];
                if (low > high) continue;
                long width = high - low;
                if (width < 1) width = 1;
                if (value < low - width || value > high + width) return true;
            }
            return false;
        }

        /// <summary>Forgets everything: recurrent state, detector statistics, pending forecast, last values seen.</summary>
        public void Reset()
        {
            _predictor.Reset();
            if (_detector != null) _detector.Reset();
            for (int i = 0; i < _lastSeen.Length; i++) _lastSeen[i] = 0;
            for (int i = 0; i < _pending.Length; i++)
            {
                _pending[i] = 0;
                _reported[i] = 0;
            }
            _hasPending = false;
            HasForecast = false;
            Score = 0;
            IsAnomaly = false;
            IsAlarm = false;
            IsOutOfRange = false;
            OutOfRangeSamples = 0;
        }

        /// <summary>
        /// A sensor or CSV value as a sample value: NaN is <see cref="Missing"/>; anything else is
        /// <see cref="FixedIo.ToFixed"/>, saturating one short of Missing. Floating point: call it at the
        /// boundary, not in the step path.
        /// </summary>
        public static int ToSample(double value, int fracBits)
        {
            if (double.IsNaN(value)) return Missing;
            int fixedValue = FixedIo.ToFixed(value, fracBits);
            return fixedValue == Missing ? Missing + 1 : fixedValue;
        }

        /// <summary>
        /// value * 2^shift, rounded to nearest (ties up) when shifting right, saturating to
        /// [Missing + 1, int.MaxValue] so a real value never reads as missing.
        /// </summary>
        public static int Rescale(int value, int shift)
        {
            long wide;
            if (shift >= 0)
            {
                wide = (long)value << shift;
            }
            else
            {
                int right = -shift;
                wide = ((long)value + (1L << (right - 1))) >> right;
            }
            if (wide > 2147483647L) return 2147483647;
            if (wide <= -2147483648L) return Missing + 1;
            return (int)wide;
        }
    }
}
