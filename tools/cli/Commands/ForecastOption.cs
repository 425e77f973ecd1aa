using System.CommandLine;
using Embedded.Evaluation.Detection;
using Embedded.Trainer.Training;

namespace Embedded.Cli.Commands;

/// <summary>`--forecast value|change` for the verbs that train a forecaster per stream (detect, evaluate --robustness).</summary>
public static class ForecastOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--forecast")
        {
            Description = "What the trained forecaster predicts: 'value'; 'change' from the current value (an untrained model forecasts 'next = last'); "
                + "'auto': values, and changes for the channels whose value forecast loses to 'next = last' on the last training rows",
            DefaultValueFactory = _ => Name(ForecastTrainingOptions.Default.Forecast),
        };
        option.AcceptOnlyFromAmong("value", "change", "auto");
        return option;
    }

    public static ForecastMode Parse(string? text) => text switch
    {
        "change" => ForecastMode.Change,
        "auto" => ForecastMode.Auto,
        _ => ForecastMode.Value,
    };

    public static string Name(ForecastMode mode) => mode.ToString().ToLowerInvariant();
}
