namespace Embedded.Trainer.Quantization;

/// <summary>Choices for <see cref="Quantizer.Quantize"/>.</summary>
public sealed class QuantizeOptions
{
    /// <summary>Weight width: 8 or 16.</summary>
    public int Bits { get; init; } = 16;

    /// <summary>Golden steps stored in the model (a few calibration rows plus extreme inputs).</summary>
    public int GoldenSteps { get; init; } = 16;

    /// <summary>
    /// True targets per calibration row (targets[t] is what the forecast made at row t should be), for
    /// rmse_fixed/rmse_float and detector calibration. Null: derived from the rows through the model's
    /// target columns and horizon when they are among its feature columns.
    /// </summary>
    public double[][]? Targets { get; init; }

    /// <summary>Run the detector calibration (trainer/Detection) and store its section.</summary>
    public bool CalibrateDetector { get; init; } = true;

    /// <summary>The detector's general settings (threshold, hold-off, warm-up, ...); calibration fills in the rest.</summary>
    public Detection.DetectorCalibrationOptions Detector { get; init; } = Detection.DetectorCalibrationOptions.Default;
}
