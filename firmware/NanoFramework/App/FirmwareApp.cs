using Embedded.Shared.Detection;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;

namespace Embedded.Firmware
{
    /// <summary>
    /// The whole firmware behaviour behind small hardware interfaces, so it runs on .NET with fakes:
    /// boot (stored model, else embedded, each CRC- and golden-vector-checked; report on serial),
    /// the sample loop (sensors -> predictor -> detector -> LED, status lines) and receiving a new model
    /// over the same serial link while running. Nothing a sensor, a transfer or a bad model does can
    /// throw out of <see cref="Tick"/>.
    /// </summary>
    public sealed class FirmwareApp : IModelCommitListener
    {
        private readonly FirmwareConfig _config;
        private readonly ISerialLink _serial;
        private readonly IClock _clock;
        private readonly IFileStore _files;
        private readonly IEmbeddedModel _embedded;
        private readonly IModelValidator _validator;
        private readonly IModelRunnerFactory _factory;
        private readonly SensorSampler _sampler;
        private readonly IDigitalOutput _led;
        private readonly ModelStore _store;
        private readonly FlashReceiver _receiver;

        private IModelRunner _runner;
        private double[] _features = new double[0];
        private int[] _input = new int[0];
        private long _nextSampleAt;
        private int _periodMs;
        private int _lastScore;

        public FirmwareApp(FirmwareConfig config, ISerialLink serial, IClock clock, IFileStore files, IEmbeddedModel embedded,
            IModelValidator validator, IModelRunnerFactory factory, SensorSampler sampler, IDigitalOutput led)
        {
            _config = config;
            _serial = serial;
            _clock = clock;
            _files = files;
            _embedded = embedded;
            _validator = validator;
            _factory = factory;
            _sampler = sampler;
            _led = led;
            _store = new ModelStore(files, validator, config.MaxModelSize);
            _receiver = new FlashReceiver(serial, clock, _store, this);
            _receiver.FirmwareVersion = FirmwareConfig.Version;
            _receiver.ModelRamBudget = config.ModelRamBudget;
            _receiver.RamPerModelByte = config.RamPerModelByte;
            _periodMs = config.DefaultSamplePeriodMs;
            _features = new double[sampler.FeatureCount];
            _receiver.RecordFeatureNames = sampler.FeatureNames;
            _receiver.RecordPeriodMs = _periodMs;
            ModelSource = "none";
        }

        /// <summary>"flash", "embedded" or "none".</summary>
        public string ModelSource { get; private set; }

        public uint ModelCrc { get; private set; }

        public bool HasModel
        {
            get { return _runner != null; }
        }

        /// <summary>True when the model's input count matches the sensors and it can run on them.</summary>
        public bool ModelRunsOnSensors { get; private set; }

        public int Samples { get; private set; }
        public int StepErrors { get; private set; }
        public int Anomalies { get; private set; }
        public int StatusLines { get; private set; }
        public int SamplePeriodMs
        {
            get { return _periodMs; }
        }

        public bool LedOn { get; private set; }

        public FlashReceiver Receiver
        {
            get { return _receiver; }
        }

        public int SensorErrors
        {
            get { return _sampler.Errors; }
        }

        /// <summary>
        /// Loads the provisioning key, recovers the model store, falls back to the embedded model, and
        /// reports every step on serial. Never throws.
        /// </summary>
        public void Boot()
        {
            WriteLine("BOOT fw=" + (FirmwareConfig.Version >> 8).ToString() + "." + (FirmwareConfig.Version & 0xFF).ToString()
                + " protocol=" + ProtocolConstants.Version.ToString() + " sensors=" + _sampler.FeatureCount.ToString());
            LoadKey();
            byte[] image = _store.Recover();
            WriteLine("STORE " + _store.LastMessage);
            if (image != null && Activate(image, "flash")) return;

            byte[] embedded = null;
            try
            {
                embedded = _embedded.Load();
            }
            catch (System.Exception e)
            {
                WriteLine("EMBEDDED unreadable: " + e.Message);
            }
            if (embedded == null || embedded.Length == 0)
            {
                WriteLine("EMBEDDED none");
            }
            else
            {
                string reason = SafeValidate(embedded);
                if (reason == null)
                {
                    if (Activate(embedded, "embedded")) return;
                }
                else
                {
                    WriteLine("SELFTEST embedded FAIL " + reason);
                }
            }
            ModelSource = "none";
            WriteLine("NOMODEL waiting for a model over serial");
        }

        /// <summary>Milliseconds until the next sample is due (for the caller's sleep).</summary>
        public int MillisecondsUntilNextSample
        {
            get
            {
                long wait = _nextSampleAt - _clock.NowMilliseconds;
                if (wait < 0) return 0;
                return wait > _periodMs ? _periodMs : (int)wait;
            }
        }

        /// <summary>Handles serial input, then takes a sample if one is due. Never throws.</summary>
        public void Tick()
        {
            try
            {
                _receiver.Poll();
            }
            catch (System.Exception e)
            {
                WriteLine("FLASH error " + e.Message);
            }
            long now = _clock.NowMilliseconds;
            if (now < _nextSampleAt) return;
            _nextSampleAt += _periodMs;
            if (_nextSampleAt <= now) _nextSampleAt = now + _periodMs; // fell behind: skip, don't burst
            Sample();
        }

        /// <summary>A verified model arrived over serial: switch to it (the store already installed it).</summary>
        public void OnModelCommitted(byte[] image)
        {
            if (!Activate(image, "flash"))
            {
                WriteLine("MODEL installed but could not start; keeping the previous runner");
            }
        }

        private void Sample()
        {
            // Record mode (docs/PROTOCOL.md) streams every sample, with or without a model that runs on it.
            bool recording = _receiver.IsRecording;
            bool stepping = _runner != null && ModelRunsOnSensors;
            if (!recording && !stepping) return;
            if (!_sampler.TrySample(_features))
            {
                _receiver.RecordSkipped();
                return;
            }
            if (recording)
            {
                try
                {
                    _receiver.SendSample(_features, _features.Length, _clock.NowMilliseconds);
                }
                catch (System.Exception)
                {
                    // Serial output is best effort; the PC sees the gap in the sequence numbers.
                }
            }
            if (!stepping) return;
            try
            {
                int fracBits = _runner.InputFracBits;
                for (int i = 0; i < _input.Length; i++) _input[i] = StreamMonitor.ToSample(_features[i], fracBits);
                _lastScore = _runner.Process(_input);
                Samples++;
                bool anomaly = _runner.IsAnomaly;
                if (anomaly) Anomalies++;
                SetLed(anomaly);
            }
            catch (System.Exception)
            {
                StepErrors++;
                return;
            }
            if (_config.StatusEverySamples > 0 && Samples % _config.StatusEverySamples == 0) Status();
        }

        private void Status()
        {
            if (_receiver.IsReceiving || _receiver.IsRecording) return; // keep the wire to the frames during a transfer or a recording
            string line = "S n=" + Samples.ToString()
                + " x=" + FixedFormat.Decimal3(_input.Length > 0 ? _input[0] : 0, _runner.InputFracBits)
                + " p=" + FixedFormat.Decimal3(_runner.LastForecast, _runner.OutputFracBits)
                + " s=" + FixedFormat.Decimal3(_lastScore, 16)
                + " a=" + (_runner.IsAnomaly ? "1" : "0")
                + " na=" + Anomalies.ToString()
                + " se=" + _sampler.Errors.ToString()
                + " fe=" + StepErrors.ToString()
                + " m=" + FixedFormat.Hex32(ModelCrc)
                + " up=" + _receiver.Stats.Commits.ToString()
                + " ar=" + _receiver.Stats.AuthRefused.ToString();
            WriteLine(line);
            StatusLines++;
        }

        private bool Activate(byte[] image, string source)
        {
            IModelRunner runner;
            try
            {
                runner = _factory.Create(image);
            }
            catch (System.Exception e)
            {
                WriteLine("MODEL " + source + " cannot start: " + e.Message);
                return false;
            }
            uint crc = ModelChecksum.Compute(image);
            _runner = runner;
            ModelSource = source;
            ModelCrc = crc;
            _receiver.CurrentModelCrc = crc;
            _receiver.CurrentModelLength = image.Length;
            _periodMs = runner.SamplePeriodMs > 0 ? runner.SamplePeriodMs : _config.DefaultSamplePeriodMs;
            _nextSampleAt = _clock.NowMilliseconds;
            _receiver.RecordPeriodMs = _periodMs;
            _input = new int[runner.InputCount];
            ModelRunsOnSensors = runner.RunsOnSensors && runner.InputCount == _sampler.FeatureCount;
            SetLed(false);
            WriteLine("MODEL " + source + " crc=" + FixedFormat.Hex32(crc) + " bytes=" + image.Length.ToString()
                + " inputs=" + runner.InputCount.ToString() + " period=" + _periodMs.ToString() + "ms selftest=ok");
            if (!ModelRunsOnSensors)
            {
                WriteLine("WARN model expects " + runner.InputCount.ToString() + " numeric inputs, sensors give "
                    + _sampler.FeatureCount.ToString() + "; not stepping until a matching model is flashed");
            }
            return true;
        }

        private void LoadKey()
        {
            try
            {
                if (!_files.Exists(_config.KeyFile) && !Provision())
                {
                    WriteLine("KEY none (unsigned models accepted)");
                    return;
                }
                _receiver.Key = FlashKey.Parse(_files.ReadAll(_config.KeyFile));
                WriteLine("KEY provisioned (only signed models accepted)");
            }
            catch (System.Exception e)
            {
                // A damaged key file must not open the device to unsigned models: refuse everything.
                _receiver.Locked = true;
                WriteLine("KEY unreadable (" + e.Message + "); refusing all transfers");
            }
        }

        /// <summary>Writes the build's provisioning key to flash (temp file, then rename); false when there is none.</summary>
        private bool Provision()
        {
            string hex = _config.ProvisionKeyHex;
            if (hex == null || hex.Length == 0) return false;
            byte[] text = new byte[hex.Length];
            for (int i = 0; i < hex.Length; i++) text[i] = (byte)hex[i];
            FlashKey.Parse(text); // refuse to store a key the receiver would reject
            string temp = _config.KeyFile + ".tmp";
            _files.Delete(temp);
            IFileWriter writer = _files.Create(temp);
            writer.Write(text, 0, text.Length);
            writer.Close();
            _files.Rename(temp, _config.KeyFile);
            WriteLine("KEY written to " + _config.KeyFile + " from this build");
            return true;
        }

        private string SafeValidate(byte[] image)
        {
            try
            {
                return _validator.Validate(image);
            }
            catch (System.Exception e)
            {
                return "validation threw " + e.Message;
            }
        }

        private void SetLed(bool on)
        {
            if (on == LedOn) return;
            try
            {
                _led.Write(on);
                LedOn = on;
            }
            catch (System.Exception)
            {
                // A broken LED is not worth stopping the loop for.
            }
        }

        private void WriteLine(string text)
        {
            try
            {
                byte[] bytes = new byte[text.Length + 1];
                for (int i = 0; i < text.Length; i++)
                {
                    char c = text[i];
                    bytes[i] = c < 128 ? (byte)c : (byte)'?';
                }
                bytes[text.Length] = (byte)'\n';
                _serial.Write(bytes, 0, bytes.Length);
            }
            catch (System.Exception)
            {
                // Serial output is best effort.
            }
        }
    }
}
