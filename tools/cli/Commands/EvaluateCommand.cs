using System.CommandLine;
using Embedded.Evaluation.Nab;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Embedded.Detection.Tests")]

namespace Embedded.Cli.Commands;

/// <summary>`evaluate`: NAB score (standard, reward low FP, reward low FN) of `detect` outputs against labelled windows.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder of the scored CSV files (each windows.json entry, e.g. realKnownCause/nyc_taxi.csv, is found under it); checks row counts", Required = true };
        var windows = new Option<FileInfo?>("--windows") { Description = "NAB windows.json: file name to [[start, end], ...] (default: DATA/windows.json)" };
        var scores = new Option<DirectoryInfo?>("--scores") { Description = "Folder of detect outputs, same relative names as in windows.json (required unless --robustness)" };
        var perFile = new Option<bool>("--per-file") { Description = "Also print each file's tally" };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Also write the per-category table as Markdown to this file" };
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
        hidden.Between(1, Embedded.Shared.Model.ModelFormat.MaxWidth, "the model format's limit");
        candidates.Between(1, int.MaxValue);
        ensemble.Between(1, int.MaxValue);
        var command = new Command("evaluate", "NAB score of detect outputs: standard, reward_low_FP_rate and reward_low_FN_rate profiles, per category, threshold optimised over all files")
        {
            data, windows, scores, perFile, markdown, robustness, seed, hidden, candidates, ensemble,
        };
        command.SetAction(parse =>
        {
            try
            {
                var dataDir = parse.GetValue(data)!;
                string windowsPath = parse.GetValue(windows)?.FullName ?? Path.Combine(dataDir.FullName, "windows.json");
                if (!File.Exists(windowsPath)) throw new FileNotFoundException($"{windowsPath}: no windows file (pass --windows)");
                if (parse.GetValue(robustness))
                {
                    var training = Embedded.Evaluation.Detection.ForecastTrainingOptions.Default with
                    {
                        Hidden = parse.GetValue(hidden), Candidates = parse.GetValue(candidates), EnsembleMembers = parse.GetValue(ensemble),
                    };
                    Console.Write(RobustnessReport(dataDir.FullName, windowsPath, seed: parse.GetValue(seed), training: training));
                    return 0;
                }
                var scoresDir = parse.GetValue(scores) ?? throw new ArgumentException("--scores is required (the folder detect wrote), unless --robustness is given");
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
