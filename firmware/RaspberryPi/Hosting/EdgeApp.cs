using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.I2c;
using Embedded.Edge.Actions;
using Embedded.Edge.Engine;
using Embedded.Edge.Simulation;
using Embedded.Edge.Sources;
using Embedded.Edge.Sources.I2c;

namespace Embedded.Edge.Hosting;

/// <summary>
/// Builds the source, engine, sinks and model watcher from an <see cref="EdgeConfig"/> and runs the loop
/// until end of input or cancellation. Configuration mistakes throw <see cref="EdgeConfigException"/>
/// before anything runs.
/// </summary>
public sealed class EdgeApp
{
    private readonly EdgeConfig _config;
    private readonly EdgeLog _log;
    private readonly Stream _stdout;
    private readonly TextReader _stdin;

    public EdgeApp(EdgeConfig config, EdgeLog log, Stream stdout, TextReader stdin)
    {
        _config = config;
        _log = log;
        LoadEngine = (image, source) => ModelScoringEngine.Load(image, source, settings: _config.Detector?.ToSettings());
        _stdout = stdout;
        _stdin = stdin;
    }

    public EdgeCounters Counters { get; } = new();

    /// <summary>Turns a model image into an engine; replaceable by tests.</summary>
    public Func<byte[], string, IScoringEngine> LoadEngine { get; set; }

    /// <summary>The GPIO driver used with --simulate (tests read the recorded writes from it).</summary>
    public SimulatedGpioDriver? SimulatedGpio { get; private set; }

    /// <summary>The simulated chips used with --simulate.</summary>
    public SimulatedSensorBoard? SimulatedBoard { get; private set; }

    /// <summary>The MQTT publisher when --mqtt-host is given (tests watch its buffer).</summary>
    public MqttPublisher? Mqtt { get; private set; }

    /// <summary>The running engines (for tests and status).</summary>
    public EngineHolder? Engines { get; private set; }

    /// <summary>Set once the loop is about to take its first sample.</summary>
    public Task Started => _started.Task;

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ValidateOptions();
        if (_config.Model is null && IsRawCsv)
        {
            await RecordAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        string modelPath = _config.Model ?? throw new EdgeConfigException("--model is required (the model file to run and watch; only --output raw-csv runs without one).");
        _config.Detector?.ToSettings(); // a setting out of range is a configuration error before anything runs
        byte[] image = ReadModel(modelPath);
        IScoringEngine engine;
        try
        {
            engine = LoadEngine(image, modelPath);
        }
        catch (ModelRejectedException e)
        {
            throw new EdgeConfigException(e.Message);
        }

        Engines = new EngineHolder(engine);
        _log.Info($"model {modelPath}: {engine.Description}");
        bool simulate = _config.Simulate ?? false;
        if (simulate) SimulatedBoard = new SimulatedSensorBoard();

        using ISampleSource source = CreateSource(engine.InputCount);
        if (source.ChannelNames.Count != engine.InputCount)
            throw new EdgeConfigException($"the source delivers {source.ChannelNames.Count} channel(s) ({string.Join(", ", source.ChannelNames)}), the model takes {engine.InputCount} input(s).");

        var sinks = new List<ISampleSink>();
        EdgeLoop? loop = null;
        MqttPublisher? publisher = null;
        using var watcher = new ModelWatcher(modelPath, image, LoadEngine, Engines, Counters, _log, TimeSpan.FromSeconds(_config.ModelPollSeconds ?? 5));
        try
        {
            CreateSinks(sinks, simulate, source.ChannelNames, IsReplay(_config.Source ?? DefaultSource()));
            publisher = Mqtt = sinks.OfType<MqttPublisher>().FirstOrDefault();
            MqttPublisher? p = publisher;
            using var status = new StatusReporter(Counters, _log, p is null ? null : () => p.Pending, TimeSpan.FromSeconds(_config.StatusSeconds ?? 60));
            loop = new EdgeLoop(source, Engines, sinks, Counters, _log, _config.MaxSamples ?? 0);
            _started.TrySetResult();
            await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (ISampleSink sink in sinks) await sink.DisposeAsync().ConfigureAwait(false);
            _started.TrySetResult();
        }

        string mqtt = publisher is null ? "" :
            $", mqtt: {Counters.MqttPublished} messages delivered, {Counters.MqttDropped} dropped, {Counters.MqttUndelivered} not delivered at shutdown";
        string line = $"stopped: {Counters.Samples} samples, {Counters.Anomalies} anomalies, {Counters.MalformedLines} malformed lines, " +
            $"{Counters.LinesTooLong} over-long lines, {Counters.SamplesDropped} samples dropped, {Counters.SensorErrors} sensor errors, " +
            $"{Counters.Overruns} overruns, {Counters.OutOfRangeSamples} samples beyond the calibrated range, {Counters.ModelsAccepted} models accepted, {Counters.ModelsRejected} rejected{mqtt}{Timing(loop)}";
        // Nothing lost silently: a run that dropped or left anything behind ends on a warning.
        if (StatusReporter.TotalDropped(Counters) + Counters.MqttUndelivered > 0) _log.Warn(line);
        else _log.Info(line);
    }

    /// <summary>Status and MQTT values checked before anything is opened: one line naming the option (exit code 2).</summary>
    private void ValidateOptions()
    {
        if (_config.StatusSeconds is double statusSeconds && !(statusSeconds > 0 && statusSeconds <= 86400))
            throw new EdgeConfigException($"--status-seconds '{statusSeconds}': expected a number of seconds above 0, at most 86400.");
        if (_config.Mqtt is not { } m) return;
        if (m.Qos is int qos && qos is not (0 or 1)) throw new EdgeConfigException($"--mqtt-qos '{qos}': expected 0 or 1.");
        if (m.Buffer is int buffer && buffer < 1) throw new EdgeConfigException($"--mqtt-buffer '{buffer}': expected at least 1 message.");
        if (m.StatusSeconds is double mqttStatus && !(mqttStatus > 0 && mqttStatus <= 86400))
            throw new EdgeConfigException($"--mqtt-status-seconds '{mqttStatus}': expected a number of seconds above 0, at most 86400.");
        if (m.DrainSeconds is double drainSeconds && !(drainSeconds >= 0 && drainSeconds <= 3600))
            throw new EdgeConfigException($"--mqtt-drain-seconds '{drainSeconds}': expected a number of seconds from 0 to 3600.");
    }

    /// <summary>csv:FILE and stdin are replays (they can wait for the broker); serial and i2c are live.</summary>
    private static bool IsReplay(string spec) =>
        spec.StartsWith("csv:", StringComparison.OrdinalIgnoreCase) || spec.Equals("stdin", StringComparison.OrdinalIgnoreCase) || spec == "-";

    private string DefaultSource() => _config.Sensors is { Count: > 0 } || _config.Simulate == true ? "i2c" : "stdin";

    /// <summary>Set by Program at the top of Main, so the summary can tell the start-up cost inside the process.</summary>
    public static long MainStartedTicks { get; set; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>
    /// "; start-up 85 ms to the first sample (62 ms from Main), 10320 samples in 0.41 s (39.7 us/sample)": process start
    /// (from /proc; left out where that is unreliable, e.g. under qemu-user) and Main to the first sample, then the loop's own time.
    /// </summary>
    private string Timing(EdgeLoop? loop)
    {
        if (loop?.FirstSampleUtc is not DateTime first || Counters.Samples == 0) return "";
        double startupMs = (first - System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalMilliseconds;
        double fromMainMs = (first - DateTime.UtcNow).TotalMilliseconds + System.Diagnostics.Stopwatch.GetElapsedTime(MainStartedTicks).TotalMilliseconds;
        double seconds = loop.LoopTime.TotalSeconds;
        string process = startupMs >= fromMainMs ? FormattableString.Invariant($"{startupMs:0} ms to the first sample (") : "";
        return FormattableString.Invariant($"; start-up {process}{fromMainMs:0} ms from Main{(process.Length > 0 ? ")" : " to the first sample")}, ") +
            FormattableString.Invariant($"{Counters.Samples} samples in {seconds:0.###} s ({seconds * 1e6 / Counters.Samples:0.0} us/sample)");
    }

    private static byte[] ReadModel(string path)
    {
        try
        {
            return ModelFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModelRejectedException)
        {
            throw new EdgeConfigException($"cannot read model '{path}': {e.Message}");
        }
    }

    private bool IsRawCsv => string.Equals(_config.Output, "raw-csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>--output raw-csv</c> without a model: collect training data. Every sample the source delivers becomes a
    /// row of raw values under the source's channel names; no engine, detector, GPIO or MQTT.
    /// </summary>
    private async Task RecordAsync(CancellationToken cancellationToken)
    {
        if (_config.Simulate == true) SimulatedBoard = new SimulatedSensorBoard();
        using ISampleSource source = CreateSource(null);
        bool live = !(_config.Speed ?? "").Equals("max", StringComparison.OrdinalIgnoreCase);
        var sink = new RawCsvSink(new StreamWriter(_stdout, new System.Text.UTF8Encoding(false), 64 * 1024) { NewLine = "\n" }, source.ChannelNames, flushEachLine: live);
        _log.Info($"recording {source.ChannelNames.Count} channel(s) ({string.Join(", ", source.ChannelNames)}) as raw CSV, no model");
        long max = _config.MaxSamples ?? 0;
        _started.TrySetResult();
        try
        {
            await foreach (Sample sample in source.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                sink.Write(sample);
                if (max > 0 && sink.Rows >= max) break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGTERM/SIGINT: the rows so far are the recording.
        }
        finally
        {
            await sink.DisposeAsync().ConfigureAwait(false);
        }
        _log.Info($"stopped: {sink.Rows} samples recorded, {Counters.MalformedLines} malformed lines, {Counters.LinesTooLong} over-long lines, " +
            $"{Counters.SamplesDropped} samples dropped, {Counters.SensorErrors} sensor errors, {Counters.Overruns} overruns");
    }

    /// <param name="channelCount">The model's input count; null without a model (serial input then needs --columns).</param>
    private ISampleSource CreateSource(int? channelCount)
    {
        string spec = _config.Source ?? DefaultSource();
        try
        {
            if (spec.StartsWith("csv:", StringComparison.OrdinalIgnoreCase))
                return CsvReplaySource.OpenFile(spec.Substring(4), Speed(), _config.TimestampColumn, _config.Columns, Counters, _log);
            if (spec.Equals("stdin", StringComparison.OrdinalIgnoreCase) || spec == "-")
                return new CsvReplaySource(_stdin, "stdin", Speed(), _config.TimestampColumn, _config.Columns, Counters, _log, ownsReader: false);
            if (spec.StartsWith("serial:", StringComparison.OrdinalIgnoreCase))
            {
                int count = channelCount ?? _config.Columns?.Count ?? throw new EdgeConfigException("--source serial: without --model, give --columns (the channels to record).");
                return new SerialSource(spec.Substring(7), _config.Baud ?? 115200, _config.TimestampColumn, _config.Columns, count, Counters, _log);
            }
            if (spec.Equals("i2c", StringComparison.OrdinalIgnoreCase))
                return CreateI2cSource();
        }
        catch (Exception e) when (e is FormatException or FileNotFoundException or ArgumentException)
        {
            throw new EdgeConfigException(e.Message);
        }

        throw new EdgeConfigException($"--source '{spec}': expected csv:FILE, stdin, serial:PORT or i2c.");
    }

    private ReplaySpeed Speed() => ReplaySpeed.Parse(_config.Speed ?? "realtime");

    private ISampleSource CreateI2cSource()
    {
        List<string> names = _config.Sensors is { Count: > 0 } ? _config.Sensors : (_config.Simulate == true ? ["mpu6050.accel_z"] : throw new EdgeConfigException("--source i2c needs --sensor channels, e.g. --sensor mpu6050.accel_z."));
        SensorChannelSpec[] channels = names.Select(SensorChannelSpec.Parse).ToArray();
        Func<int, int, I2cDevice> open = SimulatedBoard is { } board
            ? board.Open
            : (bus, address) => I2cDevice.Create(new I2cConnectionSettings(bus, address));
        return new I2cSensorSource(channels, _config.RateHz ?? 10, open, Counters, _log, SimulatedBoard is null ? null : SimulatedBoard.Advance);
    }

    private void CreateSinks(List<ISampleSink> sinks, bool simulate, IReadOnlyList<string> channelNames, bool replay)
    {
        string output = _config.Output ?? "events";
        bool live = !(_config.Speed ?? "").Equals("max", StringComparison.OrdinalIgnoreCase) || (_config.Source ?? "").StartsWith("serial:", StringComparison.OrdinalIgnoreCase);
        switch (output.ToLowerInvariant())
        {
            case "json":
                sinks.Add(new JsonLinesSink(_stdout, eventsOnly: false, flushEachLine: live));
                break;
            case "events":
                sinks.Add(new JsonLinesSink(_stdout, eventsOnly: true, flushEachLine: true));
                break;
            case "scores-csv":
                sinks.Add(new ScoresCsvSink(new StreamWriter(_stdout, new System.Text.UTF8Encoding(false), 64 * 1024) { NewLine = "\n" }, channelNames, flushEachLine: live));
                break;
            case "raw-csv":
                sinks.Add(new RawCsvSink(new StreamWriter(_stdout, new System.Text.UTF8Encoding(false), 64 * 1024) { NewLine = "\n" }, channelNames, flushEachLine: live));
                break;
            case "none":
                break;
            default:
                throw new EdgeConfigException($"--output '{output}': expected json, events, scores-csv, raw-csv or none.");
        }

        if (_config.Gpio?.Pin is int pin)
        {
            GpioController controller;
            if (simulate)
            {
                SimulatedGpio = new SimulatedGpioDriver();
                controller = new GpioController(SimulatedGpio);
            }
            else
            {
                try
                {
                    controller = _config.Gpio.Chip is int chip ? new GpioController(new LibGpiodDriver(chip)) : new GpioController();
                }
                catch (Exception e) when (e is IOException or PlatformNotSupportedException or DllNotFoundException or InvalidOperationException or UnauthorizedAccessException)
                {
                    throw new EdgeConfigException($"GPIO chip {_config.Gpio.Chip?.ToString() ?? "(default)"}: {e.Message} (is libgpiod installed and the user in the gpio group?)");
                }
            }

            sinks.Add(new GpioAlarm(controller, pin, TimeSpan.FromMilliseconds(_config.Gpio.HoldMs ?? 1000), _config.Gpio.ActiveLow ?? false));
            _log.Info($"gpio: line {pin} on chip {_config.Gpio.Chip?.ToString() ?? "default"}{(simulate ? " (simulated)" : "")} raised on anomaly for {_config.Gpio.HoldMs ?? 1000} ms");
        }

        if (_config.Mqtt?.Host is string host)
        {
            MqttConfig m = _config.Mqtt;
            var options = new MqttOptions
            {
                Host = host,
                Port = m.Port ?? 0,
                UseTls = m.Tls ?? false,
                AllowUntrustedCertificates = m.TlsInsecure ?? false,
                Username = m.Username,
                Password = m.Password ?? Environment.GetEnvironmentVariable("EDGE_MQTT_PASSWORD"),
                PublishAllSamples = m.AllSamples ?? false,
                StatusInterval = TimeSpan.FromSeconds(m.StatusSeconds ?? 30),
                BufferCapacity = m.Buffer ?? 10000,
                QualityOfService = m.Qos ?? 1,
                DrainTimeout = TimeSpan.FromSeconds(m.DrainSeconds ?? 5),
                Backpressure = replay,
            };
            if (m.ClientId is not null) options.ClientId = m.ClientId;
            if (m.Topic is not null) options.TopicPrefix = m.Topic;
            sinks.Add(new MqttPublisher(options, Counters, _log, () => Engines!.Current.Description));
            _log.Info($"mqtt: {options.Host}:{options.EffectivePort}, QoS {options.QualityOfService}, buffer {options.BufferCapacity} " +
                (replay ? "(replay: waits for the broker when full, drops nothing)" : "(live: oldest dropped and counted when full)"));
        }
    }
}
