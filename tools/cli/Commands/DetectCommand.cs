using System.CommandLine;
using System.Globalization;
using Embedded.Evaluation.Detection;
using Embedded.Shared.Model;

namespace Embedded.Cli.Commands;

/// <summary>
/// `detect`: score a CSV stream (or every CSV under a folder) for anomalies through the fixed-point
/// runtime; without --model, train on the first rows, quantize, then score every row.
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
        var columns = new Option<string?>("--columns") { Description = "Comma-separated value columns to watch (default: all but the timestamp)" };
        var cell = new Option<CellType>("--cell") { Description = "Cell of the trained forecaster", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Cell };
        var hidden = new Option<int>("--hidden") { Description = "Hidden size of the trained forecaster", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Hidden };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Epochs };
        var bits = new Option<int>("--bits") { Description = "Weight width of the quantized model (8 or 16)", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Bits };
        var seed = new Option<int>("--seed") { Description = "Training seed", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Seed };
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
        hidden.Between(1, ModelFormat.MaxWidth, "the model format's limit");
        epochs.Between(1, int.MaxValue);
        bits.Validators.Add(r => { if (r.GetValue(bits) is not (8 or 16)) r.AddError($"--bits must be 8 or 16, not {r.GetValue(bits)}"); });
        candidates.Between(1, int.MaxValue);
        ensemble.Between(1, int.MaxValue);
        trainRows.Between(1, int.MaxValue);
        trainFraction.Between(0, 1, minExclusive: true);
        var command = new Command("detect", "Score a CSV stream for anomalies through the fixed-point runtime (train on the first rows when no model is given)")
        {
            data, model, trainRows, trainFraction, output, columns, cell, hidden, epochs, bits, seed, candidates, ensemble, saveModel,
        };
        command.SetAction(parse =>
        {
            // Checks across options: usage errors (exit 2), before any data is read.
            string? usage = null;
            if (parse.GetValue(ensemble) > parse.GetValue(candidates)) usage = $"--ensemble {parse.GetValue(ensemble)} must be at most --candidates ({parse.GetValue(candidates)})";
            else if (parse.GetValue(saveModel) is not null && parse.GetValue(model) is not null) usage = "--save-model saves a trained model; with --model nothing is trained";
            else if (parse.GetValue(saveModel) is not null && Directory.Exists(parse.GetValue(data)))
                usage = "--save-model writes the one model trained for a single --data file; with a folder each file gets its own model";
            else if (parse.GetValue(trainRows) is not null && parse.GetValue(trainFraction) is not null) usage = "give --train-rows or --train-fraction, not both";
            else if (parse.GetValue(model) is not null && (parse.GetValue(trainRows) is not null || parse.GetValue(trainFraction) is not null))
                usage = "--model scores with a trained model; --train-rows/--train-fraction apply only without it";
            if (usage is not null)
            {
                Console.Error.WriteLine($"detect: {usage}");
                return 2;
            }
            try
            {
                if (parse.GetValue(trainRows) is not null && parse.GetValue(trainFraction) is not null)
                    throw new ArgumentException("give --train-rows or --train-fraction, not both");
                if (parse.GetValue(model) is not null && (parse.GetValue(trainRows) is not null || parse.GetValue(trainFraction) is not null))
                    throw new ArgumentException("--model scores with a trained model; --train-rows/--train-fraction apply only without it");
                var training = ForecastTrainingOptions.Default with
                {
                    Cell = parse.GetValue(cell), Hidden = parse.GetValue(hidden), Epochs = parse.GetValue(epochs),
                    Bits = parse.GetValue(bits), Seed = parse.GetValue(seed), Candidates = parse.GetValue(candidates), EnsembleMembers = parse.GetValue(ensemble),
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
                    Training = training,
                };
                if (Directory.Exists(dataPath))
                {
                    var files = Directory.GetFiles(dataPath, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
                    if (files.Length == 0) throw new ArgumentException($"{dataPath}: no CSV files");
                    foreach (var file in files)
                    {
                        string relative = Path.GetRelativePath(dataPath, file);
                        var run = DetectPipeline.Run(template with { DataPath = file });
                        ScoresCsv.Write(Path.Combine(outPath, relative), run.Series, run.Scored);
                        Console.WriteLine(Summary(relative, run));
                    }
                    return 0;
                }
                var single = DetectPipeline.Run(template);
                ScoresCsv.Write(outPath, single.Series, single.Scored);
                if (parse.GetValue(saveModel) is FileInfo save) File.WriteAllBytes(save.FullName, single.ModelBytes);
                Console.WriteLine(Summary(dataPath, single));
                WarnAboutFaults(single);
                return 0;
            }
            // InvalidOperationException: a value so large its scale overflows (1e300) fails in quantization; one line, not a stack trace.
            catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException
                                          or Embedded.Trainer.Data.DataFormatException)
            {
                Console.Error.WriteLine($"detect: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string Summary(string name, DetectRun run)
    {
        var inv = CultureInfo.InvariantCulture;
        string training = run.TrainRows > 0
            ? $"trained on {run.TrainRows} rows in {run.TrainTime.TotalSeconds.ToString("0.0", inv)} s, "
            : "";
        return $"{name}: {run.Series.RowCount} rows, {training}model {run.ModelBytes.Length} bytes, scored in {run.ScoreTime.TotalSeconds.ToString("0.00", inv)} s, {run.AnomalyCount} anomalous rows";
    }

    private static void WarnAboutFaults(DetectRun run)
    {
        var s = run.Series;
        if (s.MissingValueCount > 0) Console.Error.WriteLine($"detect: note: {s.MissingValueCount} missing value(s): fed to the model as their forecast, skipped by the detector");
        if (s.RepeatedTimestampCount > 0) Console.Error.WriteLine($"detect: note: {s.RepeatedTimestampCount} repeated timestamp(s): scored as the next sample");
        if (s.OutOfOrderTimestampCount > 0) Console.Error.WriteLine($"detect: note: {s.OutOfOrderTimestampCount} out-of-order timestamp(s): scored in file order");
    }
}
