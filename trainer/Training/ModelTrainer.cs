using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Data;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Training;

/// <summary>The public training entry points for the three tasks (the CLI's `train` calls these).</summary>
public static class ModelTrainer
{
    /// <summary>Forecasting on a CSV series. <paramref name="initial"/> = imported or resumed weights (normalisation is re-derived from the data when missing).</summary>
    public static TrainResult TrainForecast(CsvSeries data, TrainOptions options, FloatModel? initial = null, TrainingState? resume = null,
        IProgress<EpochProgress>? progress = null, CancellationToken cancel = default)
    {
        var task = new ForecastTask(data, options);
        if (initial is not null && initial.InputMean.Length == 0) initial = task.Attach(initial);
        return TrainingLoop.Run(task, options, initial, resume, progress, cancel);
    }

    /// <summary>Many-to-one classification of windows of a CSV; the label column holds class names.</summary>
    public static TrainResult TrainClassifier(string csvPath, IReadOnlyList<string>? featureColumns, string labelColumn, string? timestampColumn,
        TrainOptions options, FloatModel? initial = null, TrainingState? resume = null, IProgress<EpochProgress>? progress = null, CancellationToken cancel = default)
    {
        var task = new ClassifyTask(csvPath, featureColumns, labelColumn, timestampColumn, options);
        if (initial is not null && initial.ClassNames.Length == 0 && initial.OutputSize == task.Classes.Length) initial = task.Attach(initial);
        return TrainingLoop.Run(task, options, initial, resume, progress, cancel);
    }

    /// <summary>Character-level next-symbol prediction (d2l set-up).</summary>
    public static TrainResult TrainText(TextCorpus corpus, TrainOptions options, FloatModel? initial = null, TrainingState? resume = null,
        IProgress<EpochProgress>? progress = null, CancellationToken cancel = default)
        => TrainingLoop.Run(new TextTask(corpus, options), options, initial, resume, progress, cancel);
}
