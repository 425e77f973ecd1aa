using System.CommandLine;
using System.Runtime.InteropServices;

namespace Embedded.Edge.Hosting;

/// <summary>The <c>embedded-edge</c> command line: flags mirror <see cref="EdgeConfig"/> and override a --config file.</summary>
public static class EdgeCommand
{
    public static RootCommand Create(Stream stdout, TextReader stdin, EdgeLog log)
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON configuration file (same names as the flags, camelCase; flags win)" };
        var model = new Option<string?>("--model") { Description = "Model file to run; it is watched, and a valid replacement is swapped in" };
        var source = new Option<string?>("--source") { Description = "csv:FILE | stdin | serial:PORT | i2c (default: i2c with --sensor/--simulate, else stdin)" };
        var speed = new Option<string?>("--speed") { Description = "Replay speed for csv/stdin: max, realtime, or a factor such as 60 (default realtime)" };
        var timestampColumn = new Option<string?>("--timestamp-column") { Description = "CSV/serial timestamp column (name or 0-based index; default 'timestamp' if present)" };
        var columns = new Option<string[]?>("--columns") { Description = "CSV/serial value columns in model-input order (names or indices; default all but the timestamp)", AllowMultipleArgumentsPerToken = true };
        var baud = new Option<int?>("--baud") { Description = "Serial baud rate (default 115200)" };
        var sensors = new Option<string[]?>("--sensor") { Description = "I2C channel device[@bus[:addr]].quantity, repeatable, in model-input order (e.g. mpu6050.accel_z, bme280@1:0x77.pressure)" };
        var rate = new Option<double?>("--rate-hz") { Description = "I2C sampling rate in Hz (default 10)" };
        var simulate = new Option<bool>("--simulate") { Description = "Use simulated sensors and a simulated GPIO driver (no hardware needed)" };
        var output = new Option<string?>("--output") { Description = "stdout: json (every sample), events (alarms only, default), scores-csv (detect's CSV), raw-csv (timestamp + raw channel values: training data; needs no --model) or none" };
        var gpioChip = new Option<int?>("--gpio-chip") { Description = "gpiochip number for the alarm output (libgpiod)" };
        var gpioPin = new Option<int?>("--gpio-pin") { Description = "GPIO line raised on anomaly" };
        var gpioHold = new Option<int?>("--gpio-hold-ms") { Description = "How long the GPIO output stays active after the last anomaly (default 1000)" };
        var gpioActiveLow = new Option<bool>("--gpio-active-low") { Description = "Drive the output low on anomaly" };
        var mqttHost = new Option<string?>("--mqtt-host") { Description = "MQTT broker host (enables publishing)" };
        var mqttPort = new Option<int?>("--mqtt-port") { Description = "Broker port (default 1883, 8883 with --mqtt-tls)" };
        var mqttClientId = new Option<string?>("--mqtt-client-id") { Description = "MQTT client id (default embedded-edge-HOSTNAME)" };
        var mqttTopic = new Option<string?>("--mqtt-topic") { Description = "Topic prefix: events on PREFIX/events, status on PREFIX/status (default embedded-edge)" };
        var mqttUser = new Option<string?>("--mqtt-user") { Description = "Broker username" };
        var mqttPassword = new Option<string?>("--mqtt-password") { Description = "Broker password (or set EDGE_MQTT_PASSWORD)" };
        var mqttTls = new Option<bool>("--mqtt-tls") { Description = "Connect with TLS" };
        var mqttTlsInsecure = new Option<bool>("--mqtt-tls-insecure") { Description = "Accept any broker certificate (test brokers only)" };
        var mqttAll = new Option<bool>("--mqtt-all-samples") { Description = "Publish every sample, not only anomalies" };
        var mqttStatus = new Option<double?>("--mqtt-status-seconds") { Description = "Status message period (default 30)" };
        var mqttBuffer = new Option<int?>("--mqtt-buffer") { Description = "Messages buffered until the broker acknowledges them (default 10000; when full a replay waits, a live source drops the oldest, counted)" };
        var mqttQos = new Option<int?>("--mqtt-qos") { Description = "QoS of events/samples: 0 or 1 (default 1)" };
        var mqttDrain = new Option<double?>("--mqtt-drain-seconds") { Description = "How long shutdown waits for buffered messages (default 5); the rest is counted as not delivered" };
        var statusSeconds = new Option<double?>("--status-seconds") { Description = "Period of the status log line (default 60)" };
        var thresholdDecades = new Option<double?>("--threshold-decades") { Description = "Detector sensitivity: an error this unlikely on one tracker (decades of tail probability) sets the state and alarms, raised by log10 of the error trackers as calibration does (default: the model's, 6)" };
        var holdOff = new Option<int?>("--hold-off") { Description = "Samples after an alarm during which weaker events do not alarm again (default: the model's)" };
        var warmup = new Option<int?>("--warmup") { Description = "Samples scored 0 after start or a model swap (default: the model's)" };
        var stateHold = new Option<int?>("--state-hold") { Description = "Calm samples that end the abnormal state (default: the model's; 0 = anomaly is the alarm)" };
        var modelPoll = new Option<double?>("--model-poll-seconds") { Description = "Model file polling interval besides file notifications (default 5)" };
        var maxSamples = new Option<long?>("--max-samples") { Description = "Stop after this many samples" };

        var root = new RootCommand("embedded-edge: runs the fixed-point model and anomaly detector on live sensor streams and acts on anomalies.");
        foreach (Option option in new Option[] { config, model, source, speed, timestampColumn, columns, baud, sensors, rate, simulate, output, gpioChip, gpioPin, gpioHold, gpioActiveLow,
                     mqttHost, mqttPort, mqttClientId, mqttTopic, mqttUser, mqttPassword, mqttTls, mqttTlsInsecure, mqttAll, mqttStatus, mqttBuffer, mqttQos, mqttDrain, statusSeconds, modelPoll, maxSamples, thresholdDecades, holdOff, warmup, stateHold })
        {
            root.Options.Add(option);
        }

        root.SetAction(async (parse, cancellationToken) =>
        {
            EdgeConfig c;
            try
            {
                c = parse.GetValue(config) is { } file ? EdgeConfig.Load(file.FullName) : new EdgeConfig();
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                log.Error(e.Message);
                return 2;
            }

            bool Given(Option o) => parse.GetResult(o) is not null;
            c.Model = parse.GetValue(model) ?? c.Model;
            c.Source = parse.GetValue(source) ?? c.Source;
            c.Speed = parse.GetValue(speed) ?? c.Speed;
            c.TimestampColumn = parse.GetValue(timestampColumn) ?? c.TimestampColumn;
            if (parse.GetValue(columns) is { Length: > 0 } cols) c.Columns = cols.SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            c.Baud = parse.GetValue(baud) ?? c.Baud;
            if (parse.GetValue(sensors) is { Length: > 0 } s) c.Sensors = s.ToList();
            c.RateHz = parse.GetValue(rate) ?? c.RateHz;
            if (Given(simulate)) c.Simulate = parse.GetValue(simulate);
            c.Output = parse.GetValue(output) ?? c.Output;
            c.ModelPollSeconds = parse.GetValue(modelPoll) ?? c.ModelPollSeconds;
            c.MaxSamples = parse.GetValue(maxSamples) ?? c.MaxSamples;
            if (Given(thresholdDecades) || Given(holdOff) || Given(warmup) || Given(stateHold))
            {
                c.Detector ??= new DetectorConfig();
                c.Detector.ThresholdDecades = parse.GetValue(thresholdDecades) ?? c.Detector.ThresholdDecades;
                c.Detector.HoldOff = parse.GetValue(holdOff) ?? c.Detector.HoldOff;
                c.Detector.Warmup = parse.GetValue(warmup) ?? c.Detector.Warmup;
                c.Detector.StateHold = parse.GetValue(stateHold) ?? c.Detector.StateHold;
            }

            c.StatusSeconds = parse.GetValue(statusSeconds) ?? c.StatusSeconds;
            if (Given(gpioChip) || Given(gpioPin) || Given(gpioHold) || Given(gpioActiveLow))
            {
                c.Gpio ??= new GpioConfig();
                c.Gpio.Chip = parse.GetValue(gpioChip) ?? c.Gpio.Chip;
                c.Gpio.Pin = parse.GetValue(gpioPin) ?? c.Gpio.Pin;
                c.Gpio.HoldMs = parse.GetValue(gpioHold) ?? c.Gpio.HoldMs;
                if (Given(gpioActiveLow)) c.Gpio.ActiveLow = parse.GetValue(gpioActiveLow);
            }

            if (Given(mqttHost) || c.Mqtt is not null)
            {
                c.Mqtt ??= new MqttConfig();
                c.Mqtt.Host = parse.GetValue(mqttHost) ?? c.Mqtt.Host;
                c.Mqtt.Port = parse.GetValue(mqttPort) ?? c.Mqtt.Port;
                c.Mqtt.ClientId = parse.GetValue(mqttClientId) ?? c.Mqtt.ClientId;
                c.Mqtt.Topic = parse.GetValue(mqttTopic) ?? c.Mqtt.Topic;
                c.Mqtt.Username = parse.GetValue(mqttUser) ?? c.Mqtt.Username;
                c.Mqtt.Password = parse.GetValue(mqttPassword) ?? c.Mqtt.Password;
                if (Given(mqttTls)) c.Mqtt.Tls = parse.GetValue(mqttTls);
                if (Given(mqttTlsInsecure)) c.Mqtt.TlsInsecure = parse.GetValue(mqttTlsInsecure);
                if (Given(mqttAll)) c.Mqtt.AllSamples = parse.GetValue(mqttAll);
                c.Mqtt.StatusSeconds = parse.GetValue(mqttStatus) ?? c.Mqtt.StatusSeconds;
                c.Mqtt.Buffer = parse.GetValue(mqttBuffer) ?? c.Mqtt.Buffer;
                c.Mqtt.Qos = parse.GetValue(mqttQos) ?? c.Mqtt.Qos;
                c.Mqtt.DrainSeconds = parse.GetValue(mqttDrain) ?? c.Mqtt.DrainSeconds;
            }

            return await RunAsync(c, stdout, stdin, log, cancellationToken).ConfigureAwait(false);
        });
        return root;
    }

    /// <summary>Runs the app until end of input, --max-samples, or SIGTERM/SIGINT (a clean stop, exit code 0).</summary>
    public static async Task<int> RunAsync(EdgeConfig config, Stream stdout, TextReader stdin, EdgeLog log, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // let the loop finish its sample, flush and release the GPIO line
            log.Info($"{context.Signal} received, stopping");
            stop.Cancel();
        }

        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        var app = new EdgeApp(config, log, stdout, stdin);
        try
        {
            await app.RunAsync(stop.Token).ConfigureAwait(false);
            return 0;
        }
        catch (EdgeConfigException e)
        {
            log.Error(e.Message);
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error(e.Message);
            return 1;
        }
    }
}
