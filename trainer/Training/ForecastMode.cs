namespace Embedded.Trainer.Training;

/// <summary>What a forecaster predicts for each target (see <see cref="ForecastModeSelection"/>).</summary>
public enum ForecastMode
{
    /// <summary>The target's value.</summary>
    Value,
    /// <summary>The change from the target's current value (target k is feature k).</summary>
    Change,
    /// <summary>Values, except targets whose value forecast lost to persistence on the validation rows: changes.</summary>
    Auto,
}
