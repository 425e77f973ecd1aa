using Embedded.Cli.Commands;
using Embedded.Evaluation.Nab;
using Embedded.Tests.Common;

namespace Embedded.Detection.Tests;

/// <summary>`evaluate` end to end on a tiny synthetic corpus with hand-made score files.</summary>
[Collection(ConsoleCollection.Name)]
public class EvaluateTests
{
    private static void WriteScores(string path, int rows, Func<int, double> score)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var start = new DateTime(2024, 1, 1);
        var lines = new List<string> { "timestamp,value,prediction,anomaly_score,is_anomaly" };
        for (int t = 0; t < rows; t++) lines.Add($"{start.AddMinutes(5 * t):yyyy-MM-dd HH:mm:ss},1,1,{score(t).ToString(System.Globalization.CultureInfo.InvariantCulture)},0");
        File.WriteAllLines(path, lines);
    }

    [Fact]
    public void EvaluatePrintsPerProfileAndPerCategoryScores()
    {
        string dir = TestPaths.NewTempDir();
        string scores = Path.Combine(dir, "scores");
        // a: window rows 50..59 detected at its start; b: no windows, one false positive at row 80.
        WriteScores(Path.Combine(scores, "real", "a.csv"), 100, t => t == 50 ? 0.9 : 0.1);
        WriteScores(Path.Combine(scores, "art", "b.csv"), 100, t => t == 80 ? 0.95 : 0.1);
        string windows = Path.Combine(dir, "windows.json");
        File.WriteAllText(windows, """
            { "real/a.csv": [["2024-01-01 04:10:00.000000", "2024-01-01 04:55:00.000000"]], "art/b.csv": [] }
            """);

        var files = NabCorpus.Load(windows, scores);
        Assert.Equal(new AnomalyWindow(50, 59), files.Single(f => f.Name == "real/a.csv").Windows[0]);
        var standard = NabScorer.Score(files, NabProfile.Standard);
        // Threshold 0.9: the window's start earns 1 and the 0.95 false positive (before any window) costs 0.11.
        Assert.Equal(0.9, standard.Threshold);
        Assert.Equal(100.0 * (0.89 + 1) / 2, standard.Total.Normalized!.Value, 9);
        Assert.Equal(-0.11, standard.ByCategory["art"].Raw, 9);

        var output = new StringWriter();
        var saved = Console.Out;
        Console.SetOut(output);
        int exit;
        try { exit = EvaluateCommand.Create().Parse(["--data", scores, "--windows", windows, "--scores", scores]).Invoke(); }
        finally { Console.SetOut(saved); }
        Assert.Equal(0, exit);
        string text = output.ToString();
        Assert.Contains("standard", text);
        Assert.Contains("reward_low_FP_rate", text);
        Assert.Contains("reward_low_FN_rate", text);
        Assert.Contains("real", text);
        Assert.Contains("n/a", text);
    }

    [Fact]
    public void MissingScoreFileIsAnError()
    {
        string dir = TestPaths.NewTempDir();
        string windows = Path.Combine(dir, "windows.json");
        File.WriteAllText(windows, """{ "real/a.csv": [] }""");
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        int exit;
        try { exit = EvaluateCommand.Create().Parse(["--data", dir, "--windows", windows, "--scores", dir]).Invoke(); }
        finally { Console.SetError(saved); }
        Assert.NotEqual(0, exit);
        Assert.Contains("real/a.csv", error.ToString());
    }
}
