using System.Globalization;
using System.Text;
using Embedded.Trainer.Data;
using Embedded.Trainer.Model;
using Embedded.Trainer.Training;

namespace Embedded.Evaluation.Detection;

/// <summary>Trains the float forecaster on the first rows of a stream (no row after them is ever seen).</summary>
public static class ForecastTraining
{
    /// <summary>Rows are raw values per channel with no missing values (the caller fills gaps).</summary>
    public static FloatModel Train(double[][] rows, string[] channelNames, ForecastTrainingOptions options)
    {
        if (rows.Length < ForecastTrainingOptions.MinimumRows)
            throw new ArgumentException($"training needs at least {ForecastTrainingOptions.MinimumRows} rows, got {rows.Length}");
        // The trainer reads CSV; hand it exactly the training rows through a private temporary file.
        string path = Path.Combine(Path.GetTempPath(), $"embedded-detect-{Environment.ProcessId}-{Guid.NewGuid():N}.csv");
        try
        {
            var names = channelNames.Select((n, i) => SafeName(n, i)).ToArray();
            var text = new StringBuilder();
            text.AppendLine(string.Join(',', names));
            foreach (var row in rows) text.AppendLine(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
            File.WriteAllText(path, text.ToString());
            var data = CsvSeries.Load(path, null, null);
            return TrainBestCandidate(data, options, rows.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Trains <see cref="ForecastTrainingOptions.Candidates"/> forecasters from different initial weights and keeps
    /// the one with the lowest loss on the validation rows (the chronologically last training rows, never a
    /// row after the training portion), so the result depends less on one initialisation's luck.
    /// </summary>
    private static FloatModel TrainBestCandidate(CsvSeries data, ForecastTrainingOptions options, int rows)
    {
        int count = options.Candidates;
        if (count < 1) throw new ArgumentException($"--candidates must be at least 1, is {count}");
        if (options.EnsembleMembers < 1 || options.EnsembleMembers > count)
            throw new ArgumentException($"--ensemble must be between 1 and --candidates ({count}), is {options.EnsembleMembers}");
        var results = new TrainResult[count];
        Parallel.For(0, count, k =>
        {
            var candidate = options with { Seed = CandidateSeed(options.Seed, k) };
            results[k] = options.Forecast == ForecastMode.Auto
                ? ForecastModeSelection.Train(data, change => ToTrainOptions(candidate, rows, change))
                : ModelTrainer.TrainForecast(data, ToTrainOptions(candidate, rows));
        });
        // Stable order: ties keep the lower candidate index, so the pick is deterministic.
        var ranked = Enumerable.Range(0, count).OrderBy(k => ValidationLoss(results[k])).ThenBy(k => k).ToArray();
        return ForecastEnsemble.Merge(ranked.Take(options.EnsembleMembers).Select(k => results[k].Model).ToArray());
    }

    private static double ValidationLoss(TrainResult result) =>
        result.Report.ValLoss is double loss && double.IsFinite(loss) ? loss : double.PositiveInfinity;

    /// <summary>Candidate 0 trains with the seed itself; the others with seeds mixed from it and their index.</summary>
    public static int CandidateSeed(int seed, int candidate) => candidate == 0 ? seed : unchecked(seed * 1_000_033 + candidate * 7_927 + 0x5eed);

    /// <summary>The trainer's options; the window shrinks so short training portions still give many samples.</summary>
    public static TrainOptions ToTrainOptions(ForecastTrainingOptions options, int rows, bool[]? changeTargets = null) => new()
    {
        Cell = options.Cell,
        Hidden = options.Hidden,
        Layers = options.Layers,
        Window = Math.Max(4, Math.Min(options.Window, rows / 6)),
        Horizon = 1,
        PredictChange = options.Forecast == ForecastMode.Change,
        ChangeTargets = changeTargets ?? [],
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        LearningRate = options.LearningRate,
        Seed = options.Seed,
        ValidationFraction = options.ValidationFraction,
        Patience = options.Patience,
    };

    private static string SafeName(string name, int index)
    {
        string clean = new string(name.Where(c => c != ',' && c != '"' && !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? "value" + index : clean;
    }
}
