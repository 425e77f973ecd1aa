using System.CommandLine;
using Embedded.Evaluation.Corpus;

namespace Embedded.Cli.Commands;

/// <summary>
/// `corpus short`: make the short-series corpus (BENCHMARKS.md's NAB short-series proxy) from a labelled
/// NAB-style corpus, as CSVs and a windows.json that `evaluate --windows` reads.
/// Exit codes: 0 written; 1 bad input (a missing or unreadable file, named); 2 bad options.
/// </summary>
internal static class CorpusCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder of the labelled corpus (each windows.json entry, e.g. realKnownCause/nyc_taxi.csv, is found under it)", Required = true };
        var windows = new Option<string?>("--windows") { Description = "windows.json of the corpus: file name to [[start, end], ...] (default: DATA/windows.json)" };
        var output = new Option<string>("--out") { Description = "Folder for the short files (same subfolders as the data) and their windows.json", Required = true };
        var recipe = ShortSeriesRecipe.Default;
        var before = new Option<int>("--before") { Description = "Rows kept before a window's first row in a crop", DefaultValueFactory = _ => recipe.RowsBefore };
        var after = new Option<int>("--after") { Description = "Rows kept after a window's last row in a crop", DefaultValueFactory = _ => recipe.RowsAfter };
        var minRows = new Option<int>("--min-rows") { Description = "Crops shorter than this are not written", DefaultValueFactory = _ => recipe.MinimumRows };
        var aggregateFrom = new Option<int>("--aggregate-from") { Description = "Files with at least this many rows are also averaged over blocks", DefaultValueFactory = _ => recipe.AggregateFromRows };
        var aggregateTo = new Option<int>("--aggregate-to") { Description = "Block length k = rows / this (integer division); averaged when k > 1", DefaultValueFactory = _ => recipe.AggregateTargetRows };
        var withSource = new Option<bool>("--with-source") { Description = "Also copy the source corpus into --out, the short files under short-CATEGORY/: one corpus for one threshold, as NAB scores long and short files together" };
        before.Between(0, int.MaxValue);
        after.Between(0, int.MaxValue);
        minRows.Between(1, int.MaxValue);
        aggregateFrom.Between(1, int.MaxValue);
        aggregateTo.Between(1, int.MaxValue);
        var shortSeries = new Command("short",
            "Cut a labelled corpus into short series: for each file with windows, a block-averaged copy (agg{k}_, files of ≥ 4,000 rows, k = rows / 2,000) "
            + "and one crop per window (crop{j}_, 1,000 rows before to 500 after, ≥ 900 rows), with a windows.json for evaluate")
        {
            data, windows, output, before, after, minRows, aggregateFrom, aggregateTo, withSource,
        };
        shortSeries.SetAction(parse =>
        {
            string dataPath = parse.GetValue(data)!;
            string windowsPath = parse.GetValue(windows) ?? Path.Combine(dataPath, "windows.json");
            string outPath = parse.GetValue(output)!;
            if (Path.GetFullPath(outPath).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(dataPath).TrimEnd(Path.DirectorySeparatorChar))
            {
                Console.Error.WriteLine($"corpus short: --out {outPath} is the --data folder; its windows.json would be overwritten");
                return CliInvoker.UsageError;
            }
            try
            {
                var files = ShortSeriesCorpus.Build(dataPath, windowsPath, outPath, recipe with
                {
                    RowsBefore = parse.GetValue(before), RowsAfter = parse.GetValue(after), MinimumRows = parse.GetValue(minRows),
                    AggregateFromRows = parse.GetValue(aggregateFrom), AggregateTargetRows = parse.GetValue(aggregateTo),
                    WithSource = parse.GetValue(withSource),
                });
                foreach (var file in files) Console.WriteLine($"{file.Name}: {file.Rows} rows, {file.Windows} window(s), from {file.Source}");
                Console.WriteLine(files.Count == 0
                    ? $"{outPath}: no files written ({windowsPath} names no file with a window)"
                    : $"{outPath}: {files.Count} files, {files.Min(f => f.Rows)}–{files.Max(f => f.Rows)} rows, windows in {Path.Combine(outPath, "windows.json")}");
                return 0;
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"corpus short: {e.Message}");
                return 1;
            }
        });
        return new Command("corpus", "Make derived evaluation corpora") { shortSeries, CreateInject() };
    }

    /// <summary>`corpus inject`: labelled copies of a clean recording, one injected episode of a known kind each.</summary>
    private static Command CreateInject()
    {
        var data = new Option<string>("--data") { Description = "A clean recording (CSV; `,` `;` or tab; label columns are dropped)", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the labelled copies, one subfolder per kind", Required = true };
        var trainRows = new Option<int>("--train-rows") { Description = "Rows left untouched at the start, as detect --train-rows (0: NAB's probation, 15 % of the rows, at most 750)" };
        var episode = new Option<int>("--episode-rows") { Description = "Length of each episode (0: rows / 40, at least 20; spikes are one row)" };
        var perKind = new Option<int>("--per-kind") { Description = "Files per kind", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Seed for the channel, sign and start of each episode", DefaultValueFactory = _ => 1 };
        var magnitude = new Option<double>("--magnitude") { Description = "Factor on every size (1: spike 10 u, level 5 u, drift to 10 u, noise 4 u, joint 2.5 u; u = the channel's one-step spread)", DefaultValueFactory = _ => 1.0 };
        var kinds = new Option<string?>("--kinds") { Description = "Comma-separated kinds (default all): spike, level, drift, noise, stuck, joint" };
        trainRows.Between(0, int.MaxValue);
        episode.Between(0, int.MaxValue);
        perKind.Between(1, 1000);
        var inject = new Command("inject",
            "Labelled copies of a clean recording with one injected episode each (spike, level shift, drift, noise burst, stuck sensor, joint shift), "
            + "anomaly and changepoint columns for evaluate's labelled mode: a held-out test of anomaly kinds nobody tuned on")
        {
            data, output, trainRows, episode, perKind, seed, magnitude, kinds,
        };
        inject.SetAction(parse =>
        {
            var recipe = new InjectionRecipe
            {
                TrainRows = parse.GetValue(trainRows), EpisodeRows = parse.GetValue(episode), FilesPerKind = parse.GetValue(perKind),
                Seed = parse.GetValue(seed), Magnitude = parse.GetValue(magnitude),
            };
            if (parse.GetValue(kinds) is string list)
            {
                var chosen = new List<InjectedKind>();
                foreach (string name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!Enum.TryParse<InjectedKind>(name, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
                    {
                        Console.Error.WriteLine($"corpus inject: --kinds: '{name}' is not a kind (known: {string.Join(", ", Enum.GetNames<InjectedKind>().Select(k => k.ToLowerInvariant()))})");
                        return CliInvoker.UsageError;
                    }
                    chosen.Add(kind);
                }
                recipe = recipe with { Kinds = chosen };
            }
            try
            {
                var files = InjectedCorpus.Build(parse.GetValue(data)!, parse.GetValue(output)!, recipe);
                foreach (var file in files)
                    Console.WriteLine($"{file.Name}: {file.Kind.ToString().ToLowerInvariant()} on {(file.Channel < 0 ? "every other channel" : $"channel {file.Channel}")}, rows {file.StartRow}..{file.StartRow + file.Rows - 1}");
                Console.WriteLine($"{parse.GetValue(output)}: {files.Count} files");
                return 0;
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"corpus inject: {e.Message}");
                return 1;
            }
        });
        return inject;
    }
}
