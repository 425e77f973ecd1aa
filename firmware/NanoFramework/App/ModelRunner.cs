using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Firmware
{
    /// <summary>
    /// The production runner: the shared integer <see cref="Predictor"/> plus the model's
    /// <see cref="AnomalyDetector"/>. For a forecaster the targets are taken to be the first OutputCount
    /// input features, rescaled from InputFracBits to OutputFracBits. Zero allocations per step.
    /// </summary>
    public sealed class ModelRunner : IModelRunner
    {
        private readonly ModelImage _model;
        private readonly Predictor _predictor;
        private readonly AnomalyDetector _detector;
        private readonly int[] _forecast;
        private readonly int[] _actual;
        private bool _hasForecast;

        public ModelRunner(ModelImage model)
            : this(model, PortableKernel.Instance)
        {
        }

        public ModelRunner(ModelImage model, IKernel kernel)
        {
            _model = model;
            _predictor = new Predictor(model, kernel);
            _forecast = new int[model.OutputCount];
            _actual = new int[model.OutputCount];
            RunsOnSensors = model.Task != TaskKind.NextSymbol;
            if (model.Task == TaskKind.Forecast && model.OutputCount <= model.InputCount && model.DetectorSection.Length > 0)
            {
                try
                {
                    _detector = new AnomalyDetector(model);
                }
                catch (System.Exception)
                {
                    // A model without usable detector parameters still forecasts; scores stay 0.
                    _detector = null;
                }
            }
        }

        public int InputCount
        {
            get { return _model.InputCount; }
        }

        public int InputFracBits
        {
            get { return _model.InputFracBits; }
        }

        public int OutputFracBits
        {
            get { return _model.OutputFracBits; }
        }

        public int SamplePeriodMs
        {
            get { return _model.SamplePeriodMs; }
        }

        public bool RunsOnSensors { get; private set; }

        public bool IsAnomaly { get; private set; }

        public int LastForecast
        {
            get { return _forecast.Length > 0 ? _forecast[0] : 0; }
        }

        public int Process(int[] input)
        {
            int score = 0;
            IsAnomaly = false;
            if (_detector != null && _hasForecast)
            {
                int shift = _model.OutputFracBits - _model.InputFracBits;
                for (int i = 0; i < _actual.Length; i++) _actual[i] = Rescale(input[i], shift);
                score = _detector.Update(_actual, _forecast);
                IsAnomaly = _detector.IsAnomaly;
            }
            _predictor.Step(input, _forecast);
            _hasForecast = true;
            return score;
        }

        public void Reset()
        {
            _predictor.Reset();
            if (_detector != null) _detector.Reset();
            _hasForecast = false;
            IsAnomaly = false;
        }

        /// <summary>Shifts a fixed-point value to other fraction bits, saturating at the int range.</summary>
        private static int Rescale(int value, int shift)
        {
            if (shift == 0) return value;
            if (shift < 0) return value >> -shift;
            long wide = (long)value << shift;
            if (wide > int.MaxValue) return int.MaxValue;
            if (wide < int.MinValue) return int.MinValue;
            return (int)wide;
        }
    }
}
