using System.CommandLine;
using System.Globalization;
using Embedded.Shared.Model;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Data;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;
using Embedded.Trainer.Training;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Embedded.Trainer.Tests")]

namespace Embedded.Cli.Commands;

/// <summary>
/// `train`: train an RNN/LSTM/GRU on a CSV series (forecast, classify) or a text file (next character).
/// Writes the float model (--out), &lt;out without extension&gt;.report.json and &lt;out without extension&gt;.loss.png.
/// Exit codes: 0 done, 1 bad input, 2 bad options (checked before anything is read or allocated), 3 stopped on a non-finite loss (last good model kept), 130 interrupted (checkpoint saved).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<FileInfo>("--data") { Description = "CSV with a header row (forecast, classify) or a text file (text)", Required = true };
        var task = new Option<string>("--task") { Description = "forecast | classify | text", DefaultValueFactory = _ => "forecast" };
        var target = new Option<string?>("--target") { Description = "Target column(s), comma-separated (forecast; default: every column but the timestamp), or the label column (classify)" };
        var features = new Option<string?>("--features") { Description = "Input columns, comma-separated (default: the targets for forecast, every other column for classify)" };
        var timestamp = new Option<string?>("--timestamp") { Description = "Timestamp column, not used as a feature (default: 'timestamp' when the file has one)" };
        var horizon = new Option<int>("--horizon") { Description = "Forecast the value this many rows ahead", DefaultValueFactory = _ => 1 };
        var predictChange = new Option<string>("--forecast")
        {
            Description = "Forecast: 'value' (the target itself); 'change' (the change from the current value; targets must be the first feature columns, and an untrained model forecasts 'next = last'); "
                + "'auto' (values, then trained again with changes for the targets whose value forecast lost to 'next = last' on the validation rows)",
            DefaultValueFactory = _ => "auto",
        };
        predictChange.AcceptOnlyFromAmong("value", "change", "auto");
        var cell = new Option<string>("--cell") { Description = "rnn | lstm | gru", DefaultValueFactory = _ => "lstm" };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units per layer and direction", DefaultValueFactory = _ => 32 };
        var layers = new Option<int>("--layers") { Description = "Stacked recurrent layers", DefaultValueFactory = _ => 1 };
        var bidirectional = new Option<bool>("--bidirectional") { Description = "Bidirectional layers (offline classification; not streamable)" };
        var window = new Option<int>("--window") { Description = "Rows (characters) per training sequence", DefaultValueFactory = _ => 64 };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs (with --resume: the total, counting earlier ones)", DefaultValueFactory = _ => 20 };
        var batch = new Option<int>("--batch") { Description = "Sequences per mini-batch", DefaultValueFactory = _ => 32 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam | sgd", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default 0.005 for adam, 0.1 for sgd)" };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0 };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: constant | step | cosine", DefaultValueFactory = _ => "constant" };
        var clip = new Option<double>("--clip") { Description = "Clip the global gradient norm to this (0 = off)", DefaultValueFactory = _ => 1.0 };
        var tbptt = new Option<int>("--tbptt") { Description = "Truncated BPTT chunk length, state carried across chunks (0 = full BPTT over independent windows)", DefaultValueFactory = _ => 0 };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without a better validation loss (0 = off)", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Random seed (initial weights, shuffling)", DefaultValueFactory = _ => 1 };
        var valFraction = new Option<double>("--val-fraction") { Description = "Chronological validation split: the last fraction of the data", DefaultValueFactory = _ => 0.2 };
        var stride = new Option<int>("--stride") { Description = "Training windows start every this many rows", DefaultValueFactory = _ => 1 };
        var maxChars = new Option<int>("--max-chars") { Description = "Text: keep only the first N characters (d2l: 10000; 0 = all)", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--out") { Description = "Float model file to write (also the checkpoint during training)", DefaultValueFactory = _ => new FileInfo("model.ckpt") };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint at --out (after Ctrl-C or to add epochs)" };
        var import = new Option<FileInfo?>("--import-safetensors") { Description = "Start from PyTorch weights (rnn.weight_ih_l0, ..., head.weight, head.bias)" };
        var precision = new Option<string>("--precision") { Description = "Arithmetic of the passes: float32 (fast) or float64 (the weights and optimizer are double either way)", DefaultValueFactory = _ => "float32" };
        var export = new Option<FileInfo?>("--export-safetensors") { Description = "Also write the trained weights as safetensors with PyTorch names (float32)" };
        task.OneOf("forecast", "classify", "text");
        cell.OneOf("rnn", "lstm", "gru");
        optimizer.OneOf("adam", "sgd");
        schedule.OneOf("constant", "step", "cosine");
        precision.OneOf("float32", "float64");
        var fastMath = new Option<bool>("--fast-math") { Description = "LSTM without 256-bit vectors or at sizes the fused pass does not take: the library's sigmoid/tanh (faster where fma runs in software); results then differ from CPU to CPU" };
        // A trained model must fit the binary format to be quantized: its limits bound the sizes here.
        hidden.Between(1, ModelFormat.MaxWidth, "the model format's limit");
        layers.Between(1, ModelFormat.MaxLayers, "the model format's limit");
        horizon.Between(1, int.MaxValue);
        window.Between(1, int.MaxValue);
        epochs.Between(0, int.MaxValue);
        batch.Between(1, int.MaxValue);
        lr.Between(0, double.MaxValue, minExclusive: true);
        clip.Between(0, double.MaxValue);
        tbptt.Between(0, int.MaxValue);
        patience.Between(0, int.MaxValue);
        stride.Between(1, int.MaxValue);
        maxChars.Between(0, int.MaxValue);

        var command = new Command("train", "Train an RNN/LSTM/GRU on a CSV series (forecast, classify) or text (next character)")
        {
            data, task, target, features, timestamp, horizon, predictChange, cell, hidden, layers, bidirectional, window, epochs, batch,
            optimizer, lr, momentum, schedule, clip, tbptt, patience, seed, valFraction, stride, maxChars, output, resume, import, export, precision, fastMath,
        };
        command.SetAction(parse =>
        {
            try
            {
                // Checks across options (after the parser's own): usage errors, before any data is read.
                if (parse.GetValue(epochs) == 0 && parse.GetValue(import) is null && !parse.GetValue(resume))
                    return Usage("--epochs 0 trains nothing; it only converts --import-safetensors weights: give at least 1");
                double need = MemoryBudget.TrainingBytes(parse.GetValue(hidden), parse.GetValue(layers), parse.GetValue(bidirectional), parse.GetValue(window), parse.GetValue(batch));
                if (MemoryBudget.Refusal(need, "--hidden, --layers, --window and --batch") is string refusal) return Usage(refusal);
                string taskName = parse.GetValue(task)!.ToLowerInvariant();
                if (taskName is not ("forecast" or "classify" or "text")) throw new ArgumentException($"--task must be forecast, classify or text, not '{taskName}'");
                string optimizerName = parse.GetValue(optimizer)!.ToLowerInvariant();
                var options = new TrainOptions
                {
                    Cell = FloatModelFile.ParseCell(parse.GetValue(cell)!),
                    Hidden = parse.GetValue(hidden),
                    Layers = parse.GetValue(layers),
                    Bidirectional = parse.GetValue(bidirectional),
                    Window = parse.GetValue(window),
                    Horizon = parse.GetValue(horizon),
                    PredictChange = parse.GetValue(predictChange) == "change",
                    Epochs = parse.GetValue(epochs),
                    BatchSize = parse.GetValue(batch),
                    Optimizer = optimizerName switch { "adam" => OptimizerKind.Adam, "sgd" => OptimizerKind.Sgd, _ => throw new ArgumentException($"--optimizer must be adam or sgd, not '{optimizerName}'") },
                    Momentum = parse.GetValue(momentum),
                    Schedule = Enum.TryParse(parse.GetValue(schedule), true, out LearningRateSchedule s) ? s : throw new ArgumentException("--schedule must be constant, step or cosine"),
                    Clip = parse.GetValue(clip),
                    Tbptt = parse.GetValue(tbptt),
                    Patience = parse.GetValue(patience),
                    Seed = parse.GetValue(seed),
                    ValidationFraction = parse.GetValue(valFraction),
                    Stride = parse.GetValue(stride),
                    MaxSymbols = parse.GetValue(maxChars),
                    Precision = parse.GetValue(precision)!.ToLowerInvariant() switch
                    {
                        "float32" => ComputePrecision.Float32,
                        "float64" => ComputePrecision.Float64,
                        string other => throw new ArgumentException($"--precision must be float32 or float64, not '{other}'"),
                    },
                    FastMath = parse.GetValue(fastMath),
                };
                options.LearningRate = parse.GetValue(lr) ?? (options.Optimizer == OptimizerKind.Adam ? 0.005 : 0.1);
                string outPath = parse.GetValue(output)!.FullName;
                options.CheckpointPath = outPath;
                string givenData = parse.GetValue(data)!.ToString();   // FileInfo.ToString() = the path as typed
                options.TrainingData = taskName == "text" ? TrainingDataSource.Text(givenData, options.MaxSymbols)
                    : TrainingDataSource.Csv(givenData, taskName == "classify" ? Split(parse.GetValue(target))?.FirstOrDefault() : null);
                try
                {
                    options.Validate();
                }
                catch (ArgumentException e)
                {
                    return Usage(e.Message);
                }
                return Run(taskName, parse.GetValue(data)!.FullName, Split(parse.GetValue(target)), Split(parse.GetValue(features)),
                    parse.GetValue(timestamp), options, outPath, parse.GetValue(resume), parse.GetValue(import)?.FullName, parse.GetValue(export)?.FullName,
                    parse.GetValue(predictChange) == "auto");
            }
            catch (Exception e) when (e is DataFormatException or SafeTensorsFormatException or ArgumentException or FormatException or IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"train: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string[]? Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? null : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int Run(string taskName, string dataPath, string[]? targets, string[]? features, string? timestamp,
        TrainOptions options, string outPath, bool resume, string? importPath, string? exportPath, bool auto)
    {
        FloatModel? initial = null;
        TrainingState? state = null;
        if (resume)
        {
            if (!File.Exists(outPath)) throw new ArgumentException($"--resume: no checkpoint at {outPath}");
            initial = FloatModelFile.Load(outPath, out state);
            if (state is null) throw new ArgumentException($"--resume: {outPath} holds no training state");
            // --epochs is the total: refuse before anything is trained or rewritten (the report, plot and model stay as they are).
            if (options.Epochs <= state.EpochsDone)
                throw new ArgumentException($"--resume: {outPath} has already run {state.EpochsDone} epoch(s) and --epochs {options.Epochs} is the total; give more than {state.EpochsDone} to continue (nothing was changed)");
            Console.WriteLine($"resuming from {outPath} after epoch {state.EpochsDone}");
        }
        else if (importPath is not null)
        {
            TaskKind kind = taskName switch { "text" => TaskKind.NextSymbol, "classify" => TaskKind.Classify, _ => TaskKind.Forecast };
            initial = PyTorchWeights.Import(importPath, kind);
            Console.WriteLine($"imported {initial.Cell} weights ({initial.Layers} layer(s), hidden {initial.HiddenSize}) from {importPath}");
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;   // finish the current batch, save a checkpoint, then exit
            Console.Error.WriteLine("train: interrupted, saving a checkpoint ...");
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        var progress = new ConsoleProgress();
        TrainResult result;
        try
        {
            if (taskName == "text")
            {
                var corpus = TextCorpus.Load(dataPath, options.MaxSymbols);
                Console.WriteLine($"text: {corpus.Symbols.Length} symbols, vocabulary {corpus.VocabularySize}");
                if (initial is not null && initial.Vocabulary is null) initial = WithVocabulary(initial, corpus);
                result = ModelTrainer.TrainText(corpus, options, initial, state, progress, cancel.Token);
            }
            else
            {
                timestamp ??= HasColumn(dataPath, "timestamp") ? "timestamp" : null;
                if (taskName == "classify")
                {
                    if (targets is not { Length: 1 }) throw new ArgumentException("classify needs exactly one --target (the label column)");
                    result = ModelTrainer.TrainClassifier(dataPath, features, targets[0], timestamp, options, initial, state, progress, cancel.Token);
                }
                else
                {
                    var series = CsvSeries.Load(dataPath, features, targets, timestamp);
                    Console.WriteLine($"{Path.GetFileName(dataPath)}: {series.Count} rows, features [{string.Join(", ", series.FeatureColumns)}] -> targets [{string.Join(", ", series.TargetColumns)}], horizon {options.Horizon}");
                    if (auto && initial is not null)
                    {
                        // Resuming: the model already says which targets are changes.
                        options.ChangeTargets = initial.ChangeOutputs.Length == series.TargetColumns.Length ? initial.ChangeOutputs : [];
                        auto = false;
                    }
                    result = ModelTrainer.TrainForecast(series, options, initial, state, progress, cancel.Token);
                    bool[] change = auto ? ForecastModeSelection.ChangeWhereValueLoses(result.Report, series) : [];
                    if (Array.IndexOf(change, true) >= 0 && !cancel.IsCancellationRequested)
                    {
                        var names = series.TargetColumns.Where((_, k) => change[k]);
                        Console.WriteLine($"--forecast auto: the value forecast lost to 'next = last' on the validation rows for [{string.Join(", ", names)}]; training again with those as changes");
                        options.ChangeTargets = change;
                        result = ModelTrainer.TrainForecast(series, options, null, null, progress, cancel.Token);
                    }
                }
            }
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        var report = result.Report;
        string stem = Path.Combine(Path.GetDirectoryName(outPath)!, Path.GetFileNameWithoutExtension(outPath));
        // `--import-safetensors X --epochs 0` converts PyTorch weights into a float model (normalisation, vocabulary, data source attached).
        bool converted = importPath is not null && options.Epochs == 0;
        if (result.StopReason != "cancelled" && (report.EpochsRun > 0 || converted))
            FloatModelFile.Save(outPath, result.Model, converted ? null : FinalState(outPath));
        AtomicFile.WriteAllText(stem + ".report.json", report.ToJson());
        if (report.EpochsRun > 0) WriteLossPlot(stem + ".loss.png", report);
        if (exportPath is not null && report.EpochsRun > 0) PyTorchWeights.Export(exportPath, result.Model);

        Console.WriteLine($"stopped: {result.StopReason} after {report.EpochsRun} epoch(s); best epoch {report.BestEpoch}");
        if (report.ValRmse is double rmse) Console.WriteLine($"val_rmse {rmse:G6}  persistence baseline_rmse {report.BaselineRmse:G6}");
        if (report.ValPerplexity is double ppl) Console.WriteLine($"val_perplexity {ppl:F3}");
        if (report.TrainPerplexity is double tppl) Console.WriteLine($"train_perplexity {tppl:F3}");
        if (report.ValAccuracy is double acc) Console.WriteLine($"val_accuracy {acc:P2}");
        Console.WriteLine($"wrote {outPath}, {stem}.report.json{(report.EpochsRun > 0 ? $", {stem}.loss.png" : "")}{(exportPath is null ? "" : ", " + exportPath)}");
        return result.StopReason switch
        {
            "nan_loss" => Fail(3, "train: the loss became non-finite; kept the last good model"),
            "cancelled" => Fail(130, $"train: interrupted; checkpoint at {outPath} (continue with --resume)"),
            _ => 0,
        };
    }

    /// <summary>The final file keeps the resume state written by the last checkpoint so `--resume --epochs N` can extend a run.</summary>
    private static TrainingState? FinalState(string outPath)
    {
        if (!File.Exists(outPath)) return null;
        try { FloatModelFile.Load(outPath, out var state); return state; }
        catch (SafeTensorsFormatException) { return null; }
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"train: {message}");
        return CliInvoker.UsageError;
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine(message);
        return code;
    }

    private static bool HasColumn(string path, string name)
    {
        try { return CsvTable.Load(path).Header.Contains(name); }
        catch (DataFormatException) { return false; }
    }

    private static FloatModel WithVocabulary(FloatModel m, TextCorpus corpus)
    {
        var copy = FloatModelFactory.WithShape(m, m.Cell, m.Task, m.InputSize, m.HiddenSize, m.Layers, m.Bidirectional, m.OutputSize);
        var withVocab = new FloatModel
        {
            Cell = copy.Cell, Task = copy.Task, InputSize = copy.InputSize, HiddenSize = copy.HiddenSize, Layers = copy.Layers,
            Bidirectional = copy.Bidirectional, OutputSize = copy.OutputSize, Vocabulary = corpus.Vocabulary,
        };
        foreach (var (k, v) in m.Parameters) withVocab.Parameters[k] = v;
        return withVocab;
    }

    private static void WriteLossPlot(string path, TrainingReport report)
    {
        var plot = new ScottPlot.Plot();
        double[] epochsAxis = Enumerable.Range(1, report.TrainLossHistory.Count).Select(i => (double)i).ToArray();
        var train = plot.Add.Scatter(epochsAxis, report.TrainLossHistory.ToArray());
        train.LegendText = "train loss";
        var valPoints = report.ValLossHistory.Select((v, i) => (x: i + 1.0, v)).Where(p => double.IsFinite(p.v)).ToArray();
        if (valPoints.Length > 0)
        {
            var val = plot.Add.Scatter(valPoints.Select(p => p.x).ToArray(), valPoints.Select(p => p.v).ToArray());
            val.LegendText = "validation loss";
        }
        plot.Title($"{report.Cell} hidden {report.Hidden} x{report.Layers} ({report.Task})");
        plot.XLabel("epoch");
        plot.YLabel(report.Task == nameof(TaskKind.NextSymbol) || report.Task == nameof(TaskKind.Classify) ? "cross-entropy" : "MSE (normalised)");
        plot.ShowLegend();
        string temp = path + ".tmp.png";
        plot.SavePng(temp, 800, 500);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Prints one line per epoch, synchronously (Progress&lt;T&gt; would post to the thread pool out of order).</summary>
    private sealed class ConsoleProgress : IProgress<EpochProgress>
    {
        public void Report(EpochProgress p)
        {
            string val = p.ValLoss is double v ? v.ToString("F5", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {p.Epoch,4}/{p.Epochs}  loss {p.TrainLoss:F5}  val_loss {val}  {p.SamplesPerSecond,9:F0} samples/s  lr {p.LearningRate:G3}{(p.Metric is null ? "" : "  " + p.Metric)}"));
        }
    }
}
