using Embedded.Trainer.Data;

namespace Embedded.Trainer.Training;

/// <summary>
/// `--forecast auto`: a forecaster is never knowingly worse than persistence. Train value forecasts first;
/// every target on which persistence ("next = last") beats the value forecast significantly on the
/// validation rows (the chronologically last training rows, never fitted) is then forecast as a change from
/// its current value, and the model is trained again with those targets as changes. A drifting channel that leaves the training rows' range
/// (a warming thermocouple) goes to changes, which follow it; a noisy level the value forecast holds
/// (a pump's flow) stays a value, whose forecast a shifted level leaves behind.
/// </summary>
public static class ForecastModeSelection
{
    /// <summary>
    /// Persistence must beat the value forecast by this many standard errors of the paired difference of
    /// squared errors (one-sided, about 2.3 % by chance): a validation tail of a few dozen rows decides
    /// nothing by a hair, and a flat tail (persistence exact) says nothing at all.
    /// </summary>
    public const double SignificantAdvantage = 2.0;

    /// <summary>Per target: forecast as a change because the value forecast lost to persistence, significantly, on the validation rows.</summary>
    public static bool[] ChangeWhereValueLoses(TrainingReport valueReport, CsvSeries data)
    {
        int targets = data.TargetColumns.Length;
        var flags = new bool[targets];
        if (valueReport.PersistenceAdvantage is not double[] advantage) return flags;
        for (int k = 0; k < targets && k < advantage.Length; k++)
        {
            bool amongInputs = k < data.FeatureColumns.Length && data.FeatureColumns[k] == data.TargetColumns[k];
            bool persistenceExact = valueReport.BaselineRmsePerTarget is double[] persistence && k < persistence.Length && persistence[k] == 0;
            flags[k] = amongInputs && !persistenceExact && advantage[k] > SignificantAdvantage;
        }
        return flags;
    }

    /// <summary>Trains value forecasts, then (if any target lost to persistence) again with those targets as changes.</summary>
    public static TrainResult Train(CsvSeries data, Func<bool[], TrainOptions> options)
    {
        var value = ModelTrainer.TrainForecast(data, options([]));
        bool[] change = ChangeWhereValueLoses(value.Report, data);
        if (Array.IndexOf(change, true) < 0) return value;
        return ModelTrainer.TrainForecast(data, options(change));
    }
}
