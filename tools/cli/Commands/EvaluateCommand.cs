using System.CommandLine;
using Embedded.Evaluation.Labelled;
using Embedded.Evaluation.Nab;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Embedded.Detection.Tests")]

namespace Embedded.Cli.Commands;

/// <summary>
/// `evaluate`: NAB score (standard, reward low FP, reward low FN) of `detect` outputs against labelled
/// windows (NAB mode: --windows, or DATA/windows.json); or, on a user's own labelled CSVs (labelled mode:
/// no windows file, or --preset), point-wise F1/FAR/MAR of is_anomaly against the anomaly column, detection
/// delay and NAB-style changepoint scores. Exit codes: 0 done; 1 bad input (labelled mode: some file could
/// not be evaluated, the others were); 2 bad or conflicting options.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "NAB mode: folder of the data files (each windows.json entry, e.g. realKnownCause/nyc_taxi.csv, is found under it; checks row counts). "
                + "Labelled mode: a labelled CSV or a folder of them",
            Required = true,
        };
        var windows = new Option<FileInfo?>("--windows") { Description = "NAB windows.json: file name to [[start, end], ...] (default: DATA/windows.json; without either, evaluate runs in labelled mode)" };
        var scores = new Option<string?>("--scores") { Description = "detect's output: a folder with the same relative names as the data (NAB mode: as in windows.json), or one file (labelled mode, single data file)" };
        var preset = new Option<string?>("--preset") { Description = "Labelled mode protocol: 'skab' = SKAB's published protocol (rows from 400 on, 60 s changepoint windows, SKAB's scale); 'default'" };
        var skipRows = new Option<int?>("--skip-rows") { Description = "Labelled mode: score rows from this index on (default 0; skab: 400)" };
        var window = new Option<string?>("--window")
        {
            Description = "Labelled mode: changepoint window to the right of each changepoint, in rows (60) or time (60s, 5m, 1h); default: 10 % of the rows / changepoints (skab: 60s)",
        };
        var anomalyColumn = new Option<string>("--anomaly-column") { Description = "Labelled mode: the 0/1 anomaly label column", DefaultValueFactory = _ => "anomaly" };
        var changepointColumn = new Option<string>("--changepoint-column") { Description = "Labelled mode: the 0/1 changepoint label column (absent = no changepoint scores)", DefaultValueFactory = _ => "changepoint" };
        var delimiter = new Option<string?>("--delimiter") { Description = "Labelled mode: delimiter of the data CSVs (',', ';', 'tab'); default: detected from the header" };
        var perFile = new Option<bool>("--per-file") { Description = "Also print each file's tally" };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Also write the table (NAB: per category; labelled: per file and total) as Markdown to this file" };
        var robustness = new Option<bool>("--robustness")
        {
            Description = "Instead of scoring --scores: train each file of --data once as detect does, score a grid of detector variants (standard profile), "
                + "and for each category and each file with windows pick the best variant without it and score the left-out part with that pick",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "With --robustness: the forecasters' training seed (as detect --seed)",
            DefaultValueFactory = _ => Embedded.Evaluation.Detection.ForecastTrainingOptions.Default.Seed,
        };
        var hidden = new Option<int>("--hidden")
        {
            Description = "With --robustness: the forecasters' hidden size (as detect --hidden)",
            DefaultValueFactory = _ => Embedded.Evaluation.Detection.ForecastTrainingOptions.Default.Hidden,
        };
        var candidates = new Option<int>("--candidates")
        {
            Description = "With --robustness: forecasters trained per file from different initial weights (as detect --candidates)",
            DefaultValueFactory = _ => Embedded.Evaluation.Detection.ForecastTrainingOptions.Default.Candidates,
        };
        var ensemble = new Option<int>("--ensemble")
        {
            Description = "With --robustness: how many of the best candidates are averaged (as detect --ensemble)",
            DefaultValueFactory = _ => Embedded.Evaluation.Detection.ForecastTrainingOptions.Default.EnsembleMembers,
        };
        var forecast = ForecastOption.Create();
        hidden.Between(1, Embedded.Shared.Model.ModelFormat.MaxWidth, "the model format's limit");
        candidates.Between(1, int.MaxValue);
        ensemble.Between(1, int.MaxValue);
        var command = new Command("evaluate",
            "Score detect outputs: NAB (standard, reward_low_FP_rate, reward_low_FN_rate; per category, threshold optimised over all files) against windows.json, "
            + "or on labelled CSVs: F1/FAR/MAR, detection delay and NAB-style changepoint scores (--preset skab for SKAB's protocol)")
        {
            data, windows, scores, perFile, markdown, robustness, seed, hidden, forecast, candidates, ensemble,
            preset, skipRows, window, anomalyColumn, changepointColumn, delimiter,
        };
        command.SetAction(parse =>
        {
            string dataPath = parse.GetValue(data)!;
            bool nabMode = parse.GetValue(windows) is not null || (parse.GetValue(robustness) && parse.GetValue(preset) is null)
                || (Directory.Exists(dataPath) && File.Exists(Path.Combine(dataPath, "windows.json")));
            if (parse.GetValue(preset) is not null || !nabMode)
            {
                LabelledProtocol protocol;
                char? separator;
                try
                {
                    if (parse.GetValue(windows) is not null)
                        throw new ArgumentException("--preset evaluates labelled CSVs; --windows belongs to NAB mode");
                    protocol = LabelledProtocol.FromPreset(parse.GetValue(preset) ?? "default");
                    if (parse.GetValue(skipRows) is int skip)
                        protocol = skip >= 0 ? protocol with { FirstScoredRow = skip } : throw new ArgumentException($"--skip-rows must be 0 or more, is {skip}");
                    if (parse.GetValue(window) is string w) protocol = protocol with { Window = ChangepointWindowWidth.Parse(w) };
                    protocol = protocol with { AnomalyColumn = parse.GetValue(anomalyColumn)!, ChangepointColumn = parse.GetValue(changepointColumn)! };
                    separator = parse.GetValue(delimiter) is string d ? Embedded.Csv.CsvDelimiter.Parse(d) : null;
                    if (parse.GetValue(scores) is null && !parse.GetValue(robustness)) throw new ArgumentException("--scores is required: the file or folder detect wrote");
                }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine($"evaluate: {e.Message}");
                    return 2;
                }
                if (parse.GetValue(robustness))
                {
                    try
                    {
                        var training = Embedded.Evaluation.Detection.ForecastTrainingOptions.Default with
                        {
                            Seed = parse.GetValue(seed),
                            Hidden = parse.GetValue(hidden), Forecast = ForecastOption.Parse(parse.GetValue(forecast)), Candidates = parse.GetValue(candidates), EnsembleMembers = parse.GetValue(ensemble),
                        };
                        Console.Write(LabelledRobustnessReport(dataPath, protocol, training, separator));
                        return 0;
                    }
                    catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
                    {
                        Console.Error.WriteLine($"evaluate: {e.Message}");
                        return 1;
                    }
                }
                return EvaluateLabelled(dataPath, parse.GetValue(scores)!, protocol, separator, parse.GetValue(markdown));
            }
            try
            {
                var dataDir = new DirectoryInfo(dataPath);
                string windowsPath = parse.GetValue(windows)?.FullName ?? Path.Combine(dataDir.FullName, "windows.json");
                if (!File.Exists(windowsPath)) throw new FileNotFoundException($"{windowsPath}: no windows file (pass --windows)");
                if (parse.GetValue(robustness))
                {
                    var training = Embedded.Evaluation.Detection.ForecastTrainingOptions.Default with
                    {
                        Hidden = parse.GetValue(hidden), Forecast = ForecastOption.Parse(parse.GetValue(forecast)), Candidates = parse.GetValue(candidates), EnsembleMembers = parse.GetValue(ensemble),
                    };
                    Console.Write(RobustnessReport(dataDir.FullName, windowsPath, seed: parse.GetValue(seed), training: training));
                    return 0;
                }
                var scoresDir = new DirectoryInfo(parse.GetValue(scores) ?? throw new ArgumentException("--scores is required (the folder detect wrote), unless --robustness is given"));
                var files = NabCorpus.Load(windowsPath, scoresDir.FullName);
                NabCorpus.CheckRowCounts(files, dataDir.FullName);
                var results = NabScorer.ScoreAllProfiles(files);
                Console.Write(NabReport.ToText(results, parse.GetValue(perFile)));
                if (parse.GetValue(markdown) is FileInfo md) File.WriteAllText(md.FullName, NabReport.ToMarkdown(results));
                return 0;
            }
            catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"evaluate: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Labelled mode: evaluates each data file with its scores file; a file that cannot be read is reported
    /// on one line and left out of the total, and the exit code is 1 at the end.
    /// </summary>
    private static int EvaluateLabelled(string dataPath, string scoresPath, LabelledProtocol protocol, char? delimiter, FileInfo? markdown)
    {
        try
        {
            var results = new List<LabelledResult>();
            var pairs = LabelledCorpus.Pair(dataPath, scoresPath);
            int failed = 0;
            foreach (var (name, file, scoreFile) in pairs)
            {
                try { results.Add(LabelledEvaluator.Evaluate(LabelledCorpus.Load(name, file, scoreFile, protocol, delimiter), protocol)); }
                catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"evaluate: {e.Message}");
                    failed++;
                }
            }
            var total = LabelledEvaluator.Total(results);
            Console.Write(LabelledReport.ToText(results, total, protocol));
            if (markdown is not null) File.WriteAllText(markdown.FullName, LabelledReport.ToMarkdown(results, total, protocol));
            if (failed == 0) return 0;
            Console.Error.WriteLine($"evaluate: {failed} of {pairs.Count} files could not be evaluated; the total leaves them out");
            return 1;
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"evaluate: {e.Message}");
            return 1;
        }
    }

    /// <summary>Labelled files: the grid's pooled F1/FAR/MAR and changepoint scores, then the leave-one-file-out picks and the held-out total.</summary>
    internal static string LabelledRobustnessReport(string dataPath, LabelledProtocol protocol, Embedded.Evaluation.Detection.ForecastTrainingOptions training, char? delimiter)
    {
        var prepared = LabelledRobustness.Prepare(dataPath, protocol, training, delimiter, name => Console.Error.WriteLine($"trained {name}"));
        var results = LabelledRobustness.DefaultGrid().Select(v => LabelledRobustness.Score(prepared, v, protocol)).ToList();
        var text = new System.Text.StringBuilder();
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        text.AppendLine($"{prepared.Count} files, protocol {protocol.Name} (rows from {protocol.FirstScoredRow} scored), training seed {training.Seed}");
        text.AppendLine("variant                           F1     FAR %   MAR %   changepoints NAB standard");
        foreach (var r in results)
            text.AppendLine(string.Format(ci, "  {0,-30} {1,6:0.000} {2,7:0.0} {3,7:0.0} {4,8:0.0}", r.Variant.Name, r.Total.Counts.F1 ?? 0,
                100 * (r.Total.Counts.FalseAlarmRate ?? 0), 100 * (r.Total.Counts.MissedAlarmRate ?? 0), r.Total.Changepoints[0].Normalized ?? 0));
        var held = LabelledRobustness.LeaveOneFileOut(results);
        text.AppendLine($"leave one file out (pick by pooled F1 on the other files, among the variants with FAR <= {LabelledRobustness.AcceptedFalseAlarmRate:P0} there):");
        foreach (var h in held) text.AppendLine($"  without {h.LeftOut}: {h.Pick.Name}");
        var total = LabelledEvaluator.Total(held.Select(h => h.LeftOutResult));
        text.AppendLine(string.Format(ci, "held out, pooled: F1 {0:0.000}, FAR {1:0.0} %, MAR {2:0.0} %, changepoints NAB standard {3:0.0} (defaults in-sample: F1 {4:0.000}, FAR {5:0.0} %, MAR {6:0.0} %, {7:0.0})",
            total.Counts.F1 ?? 0, 100 * (total.Counts.FalseAlarmRate ?? 0), 100 * (total.Counts.MissedAlarmRate ?? 0), total.Changepoints[0].Normalized ?? 0,
            results[0].Total.Counts.F1 ?? 0, 100 * (results[0].Total.Counts.FalseAlarmRate ?? 0), 100 * (results[0].Total.Counts.MissedAlarmRate ?? 0), results[0].Total.Changepoints[0].Normalized ?? 0));
        return text.ToString();
    }

    /// <summary>The grid's standard scores, then the leave-one-out picks and the held-out total.</summary>
    internal static string RobustnessReport(string dataDir, string windowsPath, IReadOnlyList<NabRobustness.Variant>? grid = null, int? seed = null,
        Embedded.Evaluation.Detection.ForecastTrainingOptions? training = null)
    {
        training ??= Embedded.Evaluation.Detection.ForecastTrainingOptions.Default;
        if (seed is int s) training = training with { Seed = s };
        var prepared = NabRobustness.Prepare(dataDir, windowsPath, training, name => Console.Error.WriteLine($"trained {name}"));
        var results = (grid ?? NabRobustness.DefaultGrid()).Select(v => NabRobustness.Score(prepared, v)).ToList();
        var text = new System.Text.StringBuilder();
        text.AppendLine("standard score of each variant (all files, threshold optimised jointly):");
        foreach (var r in results)
            text.AppendLine($"  {r.Variant.Name,-28} {NabReport.Score(r.Standard.Total),6}  windows {r.Standard.Total.DetectedWindows}/{r.Standard.Total.Windows}  FP {r.Standard.Total.FalsePositiveRows}");
        text.AppendLine("leave one out: the best variant without each part, and the left-out part scored with it:");
        var held = NabRobustness.LeaveOneOut(results);
        double raw = 0, nullScore = 0, perfect = 0;
        foreach (var h in held)
        {
            text.AppendLine($"  without {h.LeftOut,-58} picks {h.Pick.Name,-28} rest {h.RestScore.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),6}  left out: {NabReport.Score(h.LeftOutTally),6} ({h.LeftOutTally.DetectedWindows}/{h.LeftOutTally.Windows}, FP {h.LeftOutTally.FalsePositiveRows})");
            if (!h.LeftOut.Contains('/')) continue;
            raw += h.LeftOutTally.Raw;
            nullScore += h.LeftOutTally.NullScore;
            perfect += h.LeftOutTally.PerfectScore;
        }
        if (perfect > nullScore)
            text.AppendLine($"leave-one-file-out, the held-out files together: {(100 * (raw - nullScore) / (perfect - nullScore)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} (defaults in-sample: {NabReport.Score(results[0].Standard.Total)})");
        return text.ToString();
    }
}
