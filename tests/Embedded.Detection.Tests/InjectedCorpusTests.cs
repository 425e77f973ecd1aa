using System.Globalization;
using Embedded.Cli.Commands;
using Embedded.Evaluation.Corpus;
using Embedded.Evaluation.Data;
using Embedded.Tests.Common;

namespace Embedded.Detection.Tests;

/// <summary>`corpus inject` on a small synthetic recording: what each kind writes where, the labels, and what it leaves alone.</summary>
[Collection(ConsoleCollection.Name)]
public class InjectedCorpusTests
{
    private const int Rows = 2000;

    /// <summary>Two channels: a slow sine with alternating steps of 0.2 (one-step spread about 0.4), and a ramp of step 1 (spread 0, floored at 1 % of its range).</summary>
    private static string WriteSource(string dir, int channels = 2)
    {
        string path = Path.Combine(dir, "clean.csv");
        var lines = new List<string> { channels == 2 ? "timestamp,a,b,label" : "timestamp,a" };
        for (int t = 0; t < Rows; t++)
        {
            string stamp = new DateTime(2024, 1, 1).AddSeconds(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            double a = 10 + Math.Sin(t / 50.0) + (t % 2 == 0 ? 0.2 : -0.2);
            lines.Add(channels == 2 ? $"{stamp},{a.ToString("R", CultureInfo.InvariantCulture)},{t},0" : $"{stamp},{a.ToString("R", CultureInfo.InvariantCulture)}");
        }
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void EachKindChangesOnlyItsEpisodeAndLabelsIt()
    {
        string dir = TestPaths.NewTempDir();
        string source = WriteSource(dir);
        var clean = TimeSeriesCsv.Read(source);
        var recipe = new InjectionRecipe { TrainRows = 300, EpisodeRows = 50, FilesPerKind = 2, Seed = 3 };

        var files = InjectedCorpus.Build(source, Path.Combine(dir, "out"), recipe);

        Assert.Equal(12, files.Count); // 6 kinds x 2, joint included (two channels)
        double[] unit = [InjectedCorpus.OneStepSpread(clean, 0, 300), InjectedCorpus.OneStepSpread(clean, 1, 300)];
        Assert.InRange(unit[0], 0.39, 0.41);
        Assert.Equal(0.01 * 299, unit[1], 9);
        foreach (var file in files)
        {
            var injected = TimeSeriesCsv.Read(Path.Combine(dir, "out", file.Name));
            Assert.Equal(["a", "b"], injected.ChannelNames);   // the source's label column is not carried over as a channel
            int end = file.StartRow + file.Rows;
            Assert.InRange(file.StartRow, 300 + Rows / 10, Rows - 50 - 50);
            Assert.Equal(file.Kind == InjectedKind.Spike ? 1 : 50, file.Rows);
            for (int t = 0; t < Rows; t++)
            {
                bool inside = t >= file.StartRow && t < end;
                Assert.Equal(inside ? 1 : 0, injected.Labels["anomaly"][t]);
                Assert.Equal(t == file.StartRow || t == end ? 1 : 0, injected.Labels["changepoint"][t]);
                for (int c = 0; c < 2; c++)
                {
                    double delta = injected.Values[t][c] - clean.Values[t][c];
                    if (!inside) { Assert.Equal(clean.Values[t][c], injected.Values[t][c]); continue; }
                    switch (file.Kind)
                    {
                        case InjectedKind.Level when c == file.Channel: Assert.Equal(5 * unit[c], Math.Abs(delta), 9); break;
                        case InjectedKind.Spike when c == file.Channel: Assert.Equal(10 * unit[c], Math.Abs(delta), 9); break;
                        case InjectedKind.Drift when c == file.Channel: Assert.Equal(10 * unit[c] * (t - file.StartRow + 1) / 50.0, Math.Abs(delta), 9); break;
                        case InjectedKind.Stuck when c == file.Channel: Assert.Equal(clean.Values[file.StartRow][c], injected.Values[t][c]); break;
                        case InjectedKind.Joint: Assert.True(delta == 0 || Math.Abs(Math.Abs(delta) - 2.5 * unit[c]) < 1e-9, $"joint moved {c} by {delta}"); break;
                        case InjectedKind.Noise: break;
                        default: Assert.Equal(clean.Values[t][c], injected.Values[t][c]); break;
                    }
                }
            }
        }
        // The same seed writes the same files, byte for byte; another seed other episodes.
        var again = InjectedCorpus.Build(source, Path.Combine(dir, "again"), recipe);
        foreach (var file in files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "out", file.Name)), File.ReadAllBytes(Path.Combine(dir, "again", file.Name)));
        var other = InjectedCorpus.Build(source, Path.Combine(dir, "other"), recipe with { Seed = 4 });
        Assert.NotEqual(files.Select(f => f.StartRow), other.Select(f => f.StartRow));
    }

    [Fact]
    public void OneChannelHasNoJointKindAndATooShortFileIsNamed()
    {
        string dir = TestPaths.NewTempDir();
        string source = WriteSource(dir, channels: 1);
        var files = InjectedCorpus.Build(source, Path.Combine(dir, "out"), new InjectionRecipe { FilesPerKind = 1 });
        Assert.Equal(["spike", "level", "drift", "noise", "stuck"], files.Select(f => f.Kind.ToString().ToLowerInvariant()));
        Assert.All(files, f => Assert.Equal(f.Kind == InjectedKind.Spike ? 1 : Rows / 40, f.Rows));   // the default episode: rows / 40

        var error = Assert.Throws<FormatException>(() => InjectedCorpus.Build(source, Path.Combine(dir, "no"), new InjectionRecipe { TrainRows = 1900 }));
        Assert.Contains("clean.csv", error.Message);
    }

    [Fact]
    public void CommandRefusesAnUnknownKindByName()
    {
        string dir = TestPaths.NewTempDir();
        string source = WriteSource(dir);
        var saved = (Console.Out, Console.Error);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int ok, unknown;
        try
        {
            ok = CliInvoker.Invoke(new System.CommandLine.RootCommand { CorpusCommand.Create() },
                ["corpus", "inject", "--data", source, "--out", Path.Combine(dir, "out"), "--kinds", "level,stuck", "--per-kind", "2"]);
            unknown = CliInvoker.Invoke(new System.CommandLine.RootCommand { CorpusCommand.Create() },
                ["corpus", "inject", "--data", source, "--out", Path.Combine(dir, "out"), "--kinds", "level,wobble"]);
        }
        finally
        {
            Console.SetOut(saved.Out);
            Console.SetError(saved.Error);
        }
        Assert.Equal(0, ok);
        Assert.Contains("4 files", stdout.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "out", "stuck", "clean_2.csv")));
        Assert.Equal(2, unknown);
        Assert.Contains("'wobble'", stderr.ToString());
    }
}
