using System.CommandLine;
using Embedded.Evaluation.Detection;

namespace Embedded.Cli.Commands;

/// <summary>`--forecast value|change` for the verbs that train a forecaster per stream (detect, evaluate --robustness).</summary>
public static class ForecastOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--forecast")
        {
            Description = "What the trained forecaster predicts: 'value', or 'change' from the current value (an untrained model then forecasts 'next = last')",
            DefaultValueFactory = _ => ForecastTrainingOptions.Default.PredictChange ? "change" : "value",
        };
        option.AcceptOnlyFromAmong("value", "change");
        return option;
    }
}
