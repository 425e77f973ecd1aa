using Embedded.Shared.Detection;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Firmware
{
    /// <summary>
    /// The production runner: the shared per-sample protocol (<see cref="StreamMonitor"/>: the integer
    /// Predictor plus the model's AnomalyDetector, missing values bridged), exactly as the PC's `detect`
    /// and the Pi app run it. A model whose detector section is unusable or does not fit its shape still
    /// forecasts, without a detector (scores stay 0). Zero allocations per step.
    /// </summary>
    public sealed class ModelRunner : IModelRunner
    {
        private readonly ModelImage _model;
        private readonly StreamMonitor _monitor;

        public ModelRunner(ModelImage model)
            : this(model, PortableKernel.Instance)
        {
        }

        public ModelRunner(ModelImage model, IKernel kernel)
        {
            _model = model;
            RunsOnSensors = model.Task != TaskKind.NextSymbol;
            StreamMonitor monitor;
            try
            {
                monitor = new StreamMonitor(model, kernel);
            }
            catch (System.Exception)
            {
                // A model without usable detector parameters (or whose shape the detector cannot watch) still forecasts.
                monitor = new StreamMonitor(model, kernel, null);
            }
            _monitor = monitor;
        }

        /// <summary>Whether the model's detector runs (false: forecasts only).</summary>
        public bool HasDetector
        {
            get { return _monitor.Detector != null; }
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

        public bool IsAnomaly
        {
            get { return _monitor.IsAnomaly; }
        }

        /// <summary>Whether the last sample raised an alarm (an episode's start).</summary>
        public bool IsAlarm
        {
            get { return _monitor.IsAlarm; }
        }

        public int LastForecast
        {
            get
            {
                int[] next = _monitor.NextForecast;
                return next.Length > 0 ? next[0] : 0;
            }
        }

        public int Process(int[] input)
        {
            return _monitor.Step(input);
        }

        public void Reset()
        {
            _monitor.Reset();
        }
    }
}
