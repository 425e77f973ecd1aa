namespace Embedded.Trainer.Detection;

/// <summary>
/// Calibrates the on-device anomaly detector from the quantized predictor's behaviour on calibration
/// data, producing the model file's detector section (parsed by shared/Detection).
/// CONTRACT STUB: owned by the detection work (issue 4); the quantizer calls it.
/// </summary>
public static class DetectorCalibration
{
    /// <summary>
    /// <paramref name="actual"/>[t] and <paramref name="predicted"/>[t] are the true targets and the quantized
    /// predictor's forecast for calibration row t, fixed point with <paramref name="outputFracBits"/> fraction bits.
    /// Returns the detector section bytes (empty = no detector).
    /// </summary>
    public static byte[] Calibrate(int[][] actual, int[][] predicted, int outputFracBits) => [];
}
