using Embedded.Shared.Fixed;

namespace Embedded.Detection.Tests;

/// <summary>Synthetic streams for detector tests: a noisy daily-like sine and a forecast that tracks it.</summary>
internal static class DetectorStreams
{
    public const int FracBits = 8;

    /// <summary>A sine of period 100 with small noise; the forecast is the noiseless sine (a good predictor).</summary>
    public static (int[][] Actual, int[][] Predicted) NoisySine(int length, int seed, double noise = 0.05)
    {
        var random = new Random(seed);
        var actual = new int[length][];
        var predicted = new int[length][];
        for (int t = 0; t < length; t++)
        {
            double clean = 10 + 3 * Math.Sin(2 * Math.PI * t / 100.0);
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            actual[t] = [FixedIo.ToFixed(clean + noise * gaussian, FracBits)];
            predicted[t] = [FixedIo.ToFixed(clean, FracBits)];
        }
        return (actual, predicted);
    }
}
