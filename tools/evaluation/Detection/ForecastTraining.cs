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
            var trainOptions = ToTrainOptions(options, rows.Length);
            return ModelTrainer.TrainForecast(data, trainOptions).Model;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The trainer's options; the window shrinks so short training portions still give many samples.</summary>
    public static TrainOptions ToTrainOptions(ForecastTrainingOptions options, int rows) => new()
    {
        Cell = options.Cell,
        Hidden = options.Hidden,
        Layers = options.Layers,
        Window = Math.Max(4, Math.Min(options.Window, rows / 6)),
        Horizon = 1,
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
