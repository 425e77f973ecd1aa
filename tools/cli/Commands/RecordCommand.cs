using System.CommandLine;
using System.Globalization;
using Embedded.Cli.Flashing;
using Embedded.Cli.Recording;
using Spectre.Console;

namespace Embedded.Cli.Commands;

/// <summary>
/// `record`: puts a device running the firmware into record mode (docs/PROTOCOL.md) and writes every
/// sample's raw features to a CSV that `train` and `detect` read as is: a timestamp column, then one
/// column per firmware feature, named as the device names them.
/// </summary>
internal static class RecordCommand
{
    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "Serial port of the device, e.g. /dev/ttyUSB0 or COM5", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write (timestamp + one column per feature)", Required = true };
        var seconds = new Option<double?>("--seconds") { Description = "Record this long (default: until --samples, or Ctrl+C)" }.Between(0, 7 * 24 * 3600.0, minExclusive: true);
        var samples = new Option<int?>("--samples") { Description = "Record this many samples" }.Between(1, int.MaxValue);
        var baud = new Option<int>("--baud") { Description = "Baud rate (the firmware default is 115200)", DefaultValueFactory = _ => 115200 }.Between(1, 10_000_000);
        var retries = new Option<int>("--retries") { Description = "Resends of RecordStart/RecordStop before giving up", DefaultValueFactory = _ => 8 }.Between(0, 1000);
        var timeout = new Option<int>("--timeout-ms") { Description = "Reply timeout per request in milliseconds", DefaultValueFactory = _ => 500 }.Between(1, 600_000);

        var command = new Command("record", "Record training data from a device: every sample's raw features, sequence-numbered and CRC-checked, to a CSV for train/detect");
        command.Options.Add(port);
        command.Options.Add(output);
        command.Options.Add(seconds);
        command.Options.Add(samples);
        command.Options.Add(baud);
        command.Options.Add(retries);
        command.Options.Add(timeout);
        command.Validators.Add(r =>
        {
            if (r.GetResult(seconds) is { Implicit: false } && r.GetResult(samples) is { Implicit: false })
                r.AddError("give --seconds or --samples, not both");
        });
        command.SetAction(parseResult => Run(parseResult.GetValue(port)!, parseResult.GetValue(output)!, parseResult.GetValue(seconds),
            parseResult.GetValue(samples), parseResult.GetValue(baud), parseResult.GetValue(retries), parseResult.GetValue(timeout)));
        return command;
    }

    private static int Run(string portName, FileInfo outFile, double? seconds, int? maxSamples, int baud, int retries, int timeoutMs)
    {
        if (outFile.Directory is { Exists: false } dir)
        {
            Console.Error.WriteLine($"record: --out {outFile.FullName}: folder {dir.FullName} does not exist");
            return CliInvoker.UsageError;
        }
        if (!OperatingSystem.IsWindows() && !File.Exists(portName))
        {
            Console.Error.WriteLine($"record: no device: no such port {portName}");
            return FlashExitCodes.NoDevice;
        }
        SerialPortLink link;
        try
        {
            link = new SerialPortLink(portName, baud);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"record: no device: cannot open {portName}: {e.Message}");
            return FlashExitCodes.NoDevice;
        }

        using (link)
        {
            var clock = new StopwatchClock();
            var session = new RecordSession(link, clock, Random.Shared.Next(0x10000)) { MaxRetries = retries, ResponseTimeoutMs = timeoutMs };
            session.Start();
            while (session.Info is null && session.Failure is null)
            {
                foreach (var _ in session.Poll()) { }
                Thread.Sleep(1);
            }
            if (session.Info is null)
            {
                Console.Error.WriteLine("record: " + (session.Refused ? "" : "no device: ") + session.Failure);
                return session.Refused ? FlashExitCodes.WrongFirmware : FlashExitCodes.NoDevice;
            }
            RecordInfo info = session.Info;
            Console.Error.WriteLine($"record: {portName} @ {baud}: {info.FeatureNames.Length} features ({string.Join(", ", info.FeatureNames)}), one sample every {info.PeriodMs} ms"
                + (maxSamples is int n ? $"; {n} samples" : seconds is double s ? $"; {s.ToString(CultureInfo.InvariantCulture)} s" : "; until Ctrl+C") + $" -> {outFile.FullName}");

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            long written = 0;
            using (var writer = new StreamWriter(outFile.FullName, append: false))
            {
                writer.NewLine = "\n";
                writer.WriteLine("timestamp," + string.Join(",", info.FeatureNames));
                var csv = new CsvRows(writer);
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("recording", maxValue: maxSamples ?? (seconds is double sec ? sec : 1));
                        if (maxSamples is null && seconds is null) task.IsIndeterminate = true;
                        long started = clock.NowMilliseconds;
                        bool done = false;
                        while (!done && session.Failure is null)
                        {
                            foreach (var sample in session.Poll())
                            {
                                if (maxSamples is int limit && written >= limit) break;
                                csv.Write(sample);
                                written++;
                            }
                            double elapsed = (clock.NowMilliseconds - started) / 1000.0;
                            task.Value = maxSamples is not null ? written : Math.Min(elapsed, seconds ?? elapsed);
                            done = cancel.IsCancellationRequested || (maxSamples is int max && written >= max) || (seconds is double limitS && elapsed >= limitS);
                            if (!done) Thread.Sleep(1);
                        }
                        if (session.Failure is null)
                        {
                            session.Stop();
                            while (!session.Stopped && session.Failure is null)
                            {
                                foreach (var sample in session.Poll())
                                {
                                    if (maxSamples is int limit && written >= limit) continue;
                                    if (maxSamples is null) { csv.Write(sample); written++; } // samples sent before the device saw RecordStop
                                }
                                Thread.Sleep(1);
                            }
                        }
                        task.Value = task.MaxValue;
                    });
            }
            Console.CancelKeyPress -= onCancel;

            string summary = $"record: {written} samples of {info.FeatureNames.Length} features -> {outFile.Name}; {session.Lost} lost (sequence gaps), {session.Corrupt} corrupt frames, {session.SensorSkipped} sensor errors on the device"
                + (session.Saturated > 0 ? $", {session.Saturated} samples with a value clamped to ±32768" : "");
            Console.WriteLine(summary);
            if (session.Lost > 0 || session.Corrupt > 0)
                Console.Error.WriteLine($"record: warning: {session.Lost} samples lost and {session.Corrupt} frames corrupt on the wire; the CSV has a gap at each (check the cable, the baud rate, or lower the sample rate)");
            if (session.Failure is not null)
            {
                Console.Error.WriteLine("record: " + session.Failure + (written > 0 ? $"; the {written} samples received are in {outFile.Name}" : ""));
                return FlashExitCodes.TransferFailed;
            }
            if (written == 0)
            {
                Console.Error.WriteLine("record: the device sent no samples");
                return FlashExitCodes.TransferFailed;
            }
            return 0;
        }
    }

    /// <summary>Writes sample rows: a UTC timestamp from the host's clock at the first sample plus the device's own clock, then the values.</summary>
    private sealed class CsvRows(StreamWriter writer)
    {
        private DateTime _origin;
        private uint _firstDeviceMs;
        private bool _started;

        public void Write(RecordedSample sample)
        {
            if (!_started)
            {
                _origin = DateTime.UtcNow;
                _firstDeviceMs = sample.DeviceTimeMs;
                _started = true;
            }
            uint offset = unchecked(sample.DeviceTimeMs - _firstDeviceMs); // the device clock's u32 wraps; differences do not
            var line = new System.Text.StringBuilder(16 + 12 * sample.Values.Length);
            line.Append(_origin.AddMilliseconds(offset).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            foreach (double v in sample.Values)
            {
                line.Append(',');
                line.Append(double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(line.ToString());
        }
    }
}
