using Embedded.Shared.Detection;
using System.CommandLine;
using System.Globalization;
using Embedded.Evaluation.Detection;
using Embedded.Shared.Model;

namespace Embedded.Cli.Commands;

/// <summary>
/// `detect`: score a CSV stream (or every CSV under a folder) for anomalies through the fixed-point
/// runtime; without --model, train on the first rows, quantize, then score every row.
/// Exit codes: 0 every file scored; 1 bad input (in folder mode: at least one file could not be scored,
/// the others were); 2 bad or conflicting options.
/// </summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Stream CSV (timestamp + value columns), or a folder: every CSV under it is scored", Required = true };
        var model = new Option<FileInfo?>("--model") { Description = "Score with this model.bin instead of training one" };
        var trainRows = new Option<int?>("--train-rows") { Description = "Train on the first N rows (default: NAB's probationary period, 15% of rows, at most 750)" };
        var trainFraction = new Option<double?>("--train-fraction") { Description = "Train on this fraction of the first rows (0..1)" };
        var output = new Option<string>("--out") { Description = "Output CSV (timestamp,value,prediction,anomaly_score,is_anomaly); a folder when --data is one", Required = true };
        var columns = new Option<string?>("--columns") { Description = "Comma-separated value columns to watch (default: all but the timestamp and the label columns)" };
        var delimiter = new Option<string?>("--delimiter") { Description = "Field delimiter of the data CSV: ',', ';' or tab ('tab' or '\\t'); default: detected from the header line" };
        var labels = new Option<string?>("--labels")
        {
            Description = "Comma-separated label columns, kept out of the features (default: columns named anomaly, label, changepoint or is_anomaly, any case)",
        };
        var cell = new Option<CellType>("--cell") { Description = "Cell of the trained forecaster", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Cell };
        var hidden = new Option<int>("--hidden") { Description = "Hidden size of the trained forecaster", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Hidden };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Epochs };
        var bits = new Option<int>("--bits") { Description = "Weight width of the quantized model (8 or 16)", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Bits };
        var seed = new Option<int>("--seed") { Description = "Training seed", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Seed };
        var forecast = ForecastOption.Create();
        var detectorDefaults = Embedded.Trainer.Detection.DetectorCalibrationOptions.Default;
        var thresholdDecades = new Option<double>("--threshold-decades") { Description = "Sensitivity: alarm when an error is this unlikely on one tracker, in decades of tail probability (6 = 1e-6; higher = fewer alarms); raised by log10 of the error trackers (2 per channel, 3 with a season)", DefaultValueFactory = _ => detectorDefaults.MinimumThresholdDecades };
        var holdOff = new Option<int>("--hold-off") { Description = "Samples after an alarm during which weaker events do not alarm again (0 = off)", DefaultValueFactory = _ => detectorDefaults.HoldOffSamples };
        var warmup = new Option<int>("--warmup") { Description = "Samples scored 0 at the start while the forecaster's state settles", DefaultValueFactory = _ => detectorDefaults.WarmupSamples };
        var stateHold = new Option<int>("--state-hold") { Description = "Calm samples that end the abnormal state (is_anomaly); 0 = no state, is_anomaly is the alarm", DefaultValueFactory = _ => detectorDefaults.StateHoldSamples };
        var candidates = new Option<int>("--candidates")
        {
            Description = "Forecasters trained from different initial weights; the one with the lowest loss on the last training rows is kept",
            DefaultValueFactory = _ => ForecastTrainingOptions.Default.Candidates,
        };
        var ensemble = new Option<int>("--ensemble")
        {
            Description = "Average this many of the best candidates into one wider model (at most --candidates; 1 = keep the best alone)",
            DefaultValueFactory = _ => ForecastTrainingOptions.Default.EnsembleMembers,
        };
        var saveModel = new Option<FileInfo?>("--save-model") { Description = "Also write the trained model.bin here (single file only)" };
        var plot = new Option<FileInfo?>("--plot")
        {
            Description = "Also draw the run as a PNG here (single file only): a panel per channel (value, forecast), the score with threshold, state, alarms and the file's labels",
        };
        hidden.Between(1, ModelFormat.MaxWidth, "the model format's limit");
        epochs.Between(1, int.MaxValue);
        bits.Validators.Add(r => { if (r.GetValue(bits) is not (8 or 16)) r.AddError($"--bits must be 8 or 16, not {r.GetValue(bits)}"); });
        candidates.Between(1, int.MaxValue);
        ensemble.Between(1, int.MaxValue);
        trainRows.Between(1, int.MaxValue);
        trainFraction.Between(0, 1, minExclusive: true);
        var command = new Command("detect", "Score a CSV stream for anomalies through the fixed-point runtime (train on the first rows when no model is given)")
        {
            data, model, trainRows, trainFraction, output, columns, delimiter, labels, cell, hidden, epochs, bits, seed, forecast, candidates, ensemble, saveModel, plot,
            thresholdDecades, holdOff, warmup, stateHold,
        };
        command.SetAction(parse =>
        {
            // Checks across options: usage errors (exit 2), before any data is read.
            string? usage = null;
            if (parse.GetValue(ensemble) > parse.GetValue(candidates)) usage = $"--ensemble {parse.GetValue(ensemble)} must be at most --candidates ({parse.GetValue(candidates)})";
            else if (parse.GetValue(saveModel) is not null && parse.GetValue(model) is not null) usage = "--save-model saves a trained model; with --model nothing is trained";
            else if (parse.GetValue(saveModel) is not null && Directory.Exists(parse.GetValue(data)))
                usage = "--save-model writes the one model trained for a single --data file; with a folder each file gets its own model";
            else if (parse.GetValue(plot) is not null && Directory.Exists(parse.GetValue(data)))
                usage = "--plot draws one run for a single --data file; with a folder, run detect on the file to plot";
            else if (parse.GetValue(plot) is FileInfo png && !png.Name.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                usage = $"--plot {png.Name}: the plot is a PNG; name the file *.png";
            else if (parse.GetValue(trainRows) is not null && parse.GetValue(trainFraction) is not null) usage = "give --train-rows or --train-fraction, not both";
            else if (parse.GetValue(model) is not null && (parse.GetValue(trainRows) is not null || parse.GetValue(trainFraction) is not null))
                usage = "--model scores with a trained model; --train-rows/--train-fraction apply only without it";
            if (usage is not null)
            {
                Console.Error.WriteLine($"detect: {usage}");
                return 2;
            }
            char? separator;
            try
            {
                if (parse.GetValue(trainRows) is not null && parse.GetValue(trainFraction) is not null)
                    throw new ArgumentException("give --train-rows or --train-fraction, not both");
                if (parse.GetValue(model) is not null && (parse.GetValue(trainRows) is not null || parse.GetValue(trainFraction) is not null))
                    throw new ArgumentException("--model scores with a trained model; --train-rows/--train-fraction apply only without it");
                separator = parse.GetValue(delimiter) is string d ? Embedded.Csv.CsvDelimiter.Parse(d) : null;
                double decades = parse.GetValue(thresholdDecades);
                if (!(decades > 0 && decades <= DetectorParameters.MaxScoreDecades)) throw new ArgumentException($"--threshold-decades must be in (0, {DetectorParameters.MaxScoreDecades}], is {decades}");
                foreach (var (name, value) in new[] { ("--hold-off", parse.GetValue(holdOff)), ("--warmup", parse.GetValue(warmup)), ("--state-hold", parse.GetValue(stateHold)) })
                    if (value < 0 || value > 65535) throw new ArgumentException($"{name} must be 0..65535, is {value}");
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"detect: {e.Message}");
                return 2;
            }
            try
            {
                var training = ForecastTrainingOptions.Default with
                {
                    Cell = parse.GetValue(cell), Hidden = parse.GetValue(hidden), Epochs = parse.GetValue(epochs),
                    Bits = parse.GetValue(bits), Seed = parse.GetValue(seed), Forecast = ForecastOption.Parse(parse.GetValue(forecast)), Candidates = parse.GetValue(candidates), EnsembleMembers = parse.GetValue(ensemble),
                };
                string dataPath = parse.GetValue(data)!;
                string outPath = parse.GetValue(output)!;
                var template = new DetectOptions
                {
                    DataPath = dataPath,
                    ModelPath = parse.GetValue(model)?.FullName,
                    TrainRows = parse.GetValue(trainRows),
                    TrainFraction = parse.GetValue(trainFraction),
                    Columns = parse.GetValue(columns)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Delimiter = separator,
                    Labels = parse.GetValue(labels)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    Training = training,
                    ModelSettings = parse.GetValue(model) is null ? null : new DetectorSettings
                    {
                        ThresholdDecadesQ8 = parse.GetResult(thresholdDecades) is null ? DetectorSettings.Keep : DetectorSettings.DecadesQ8(parse.GetValue(thresholdDecades)),
                        HoldOffSamples = parse.GetResult(holdOff) is null ? DetectorSettings.Keep : parse.GetValue(holdOff),
                        WarmupSamples = parse.GetResult(warmup) is null ? DetectorSettings.Keep : parse.GetValue(warmup),
                        StateHoldSamples = parse.GetResult(stateHold) is null ? DetectorSettings.Keep : parse.GetValue(stateHold),
                    },
                    Detector = Embedded.Trainer.Detection.DetectorCalibrationOptions.Default with
                    {
                        MinimumThresholdDecades = parse.GetValue(thresholdDecades),
                        HoldOffSamples = parse.GetValue(holdOff),
                        WarmupSamples = parse.GetValue(warmup),
                        StateHoldSamples = parse.GetValue(stateHold),
                    },
                };
                if (Directory.Exists(dataPath)) return ScoreFolder(dataPath, outPath, template);
                var single = DetectPipeline.Run(template);
                ScoresCsv.Write(outPath, single.Series, single.Scored);
                if (parse.GetValue(saveModel) is FileInfo save) File.WriteAllBytes(save.FullName, single.ModelBytes);
                Console.WriteLine(Summary(dataPath, single));
                if (parse.GetValue(plot) is FileInfo picture)
                {
                    Embedded.Evaluation.Plots.StreamPlot.SavePng(picture.FullName, single, PlotTitle(dataPath, single, training));
                    Console.WriteLine($"plot: {picture.FullName}");
                }
                WarnAboutFaults(single);
                return 0;
            }
            catch (Exception e) when (IsInputError(e))
            {
                Console.Error.WriteLine($"detect: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    // InvalidOperationException: a value so large its scale overflows (1e300) fails in quantization; one line, not a stack trace.
    private static bool IsInputError(Exception e) =>
        e is IOException or FormatException or ArgumentException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException
            or Embedded.Trainer.Data.DataFormatException;

    /// <summary>
    /// Scores every CSV under the folder; a file that cannot be read or scored is reported on one line and
    /// skipped, so one bad file never costs the others their results. Exit 1 at the end if any failed.
    /// </summary>
    private static int ScoreFolder(string dataPath, string outPath, DetectOptions template)
    {
        var files = Directory.GetFiles(dataPath, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new ArgumentException($"{dataPath}: no CSV files");
        var failed = new List<string>();
        foreach (var file in files)
        {
            string relative = Path.GetRelativePath(dataPath, file);
            try
            {
                var run = DetectPipeline.Run(template with { DataPath = file });
                ScoresCsv.Write(Path.Combine(outPath, relative), run.Series, run.Scored);
                Console.WriteLine(Summary(relative, run));
            }
            catch (Exception e) when (IsInputError(e))
            {
                // Most messages already start with the file's path; name it where one does not.
                Console.Error.WriteLine(e.Message.Contains(file, StringComparison.Ordinal) ? $"detect: {e.Message}" : $"detect: {file}: {e.Message}");
                failed.Add(relative);
            }
        }
        if (failed.Count == 0) return 0;
        Console.Error.WriteLine($"detect: {failed.Count} of {files.Length} files could not be scored: {string.Join(", ", failed)}");
        return 1;
    }

    private static string PlotTitle(string dataPath, DetectRun run, ForecastTrainingOptions training)
    {
        string model = run.TrainRows > 0
            ? $"{training.Cell}-{training.Hidden}, {run.Model.WeightBits}-bit, trained on the first {run.TrainRows} rows (grey)"
            : $"model {run.ModelBytes.Length} B";
        return $"{Path.GetFileName(dataPath)}: {model}; {run.AlarmCount} alarms (red), {run.AnomalyCount} rows abnormal (blue), labelled anomalies (orange)";
    }

    private static string Summary(string name, DetectRun run)
    {
        var inv = CultureInfo.InvariantCulture;
        string training = run.TrainRows > 0
            ? $"trained on {run.TrainRows} rows in {run.TrainTime.TotalSeconds.ToString("0.0", inv)} s, "
            : "";
        if (run.FloatModel is { PredictsChange: true } floatModel)
        {
            var changes = floatModel.TargetColumns.Where((_, k) => k < floatModel.ChangeOutputs.Length && floatModel.ChangeOutputs[k]);
            training += $"changes forecast for [{string.Join(", ", changes)}], ";
        }
        string led = "";
        if (run.Series.ChannelCount > 1 && run.AnomalyCount > 0)
        {
            // Which sensors the abnormal rows are about: the first three, by rows led.
            var byChannel = run.Scored.AbnormalRowsByChannel();
            led = " (led by " + string.Join(", ", byChannel.Take(3).Select(x => $"{run.Series.ChannelNames[x.Channel]} {x.Rows}")) + (byChannel.Count > 3 ? ", ..." : "") + ")";
        }
        return $"{name}: {run.Series.RowCount} rows, {training}model {run.ModelBytes.Length} bytes, scored in {run.ScoreTime.TotalSeconds.ToString("0.00", inv)} s, {run.AnomalyCount} anomalous rows{led}";
    }

    private static void WarnAboutFaults(DetectRun run)
    {
        var s = run.Series;
        if (s.MissingValueCount > 0) Console.Error.WriteLine($"detect: note: {s.MissingValueCount} missing value(s): fed to the model as their forecast, skipped by the detector");
        if (s.RepeatedTimestampCount > 0) Console.Error.WriteLine($"detect: note: {s.RepeatedTimestampCount} repeated timestamp(s): scored as the next sample");
        if (s.OutOfOrderTimestampCount > 0) Console.Error.WriteLine($"detect: note: {s.OutOfOrderTimestampCount} out-of-order timestamp(s): scored in file order");
        if (run.Scored.OutOfRangeRows > 0)
            Console.Error.WriteLine($"detect: warning: {run.Scored.OutOfRangeRows} of {s.RowCount} rows lie beyond the values the model was calibrated on by more than their whole range; is this the model for this data (sensor, units)? Its scores say little there");
    }
}
