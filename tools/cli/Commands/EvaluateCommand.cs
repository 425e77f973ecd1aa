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
        var scores = new Option<DirectoryInfo>("--scores") { Description = "Folder of detect outputs, same relative names as in windows.json", Required = true };
        var perFile = new Option<bool>("--per-file") { Description = "Also print each file's tally" };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Also write the per-category table as Markdown to this file" };
        var command = new Command("evaluate", "NAB score of detect outputs: standard, reward_low_FP_rate and reward_low_FN_rate profiles, per category, threshold optimised over all files")
        {
            data, windows, scores, perFile, markdown,
        };
        command.SetAction(parse =>
        {
            try
            {
                var dataDir = parse.GetValue(data)!;
                string windowsPath = parse.GetValue(windows)?.FullName ?? Path.Combine(dataDir.FullName, "windows.json");
                if (!File.Exists(windowsPath)) throw new FileNotFoundException($"{windowsPath}: no windows file (pass --windows)");
                var files = NabCorpus.Load(windowsPath, parse.GetValue(scores)!.FullName);
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
}
