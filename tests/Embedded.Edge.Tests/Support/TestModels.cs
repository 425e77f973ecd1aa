using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Edge.Tests.Support;

/// <summary>Real model images made with the trainer's quantizer (random weights, sine calibration data).</summary>
internal static class TestModels
{
    private static readonly Dictionary<(int, int, CellType), byte[]> Cache = new();

    public static byte[] Forecaster(int inputs = 1, int seed = 7, CellType cell = CellType.Gru)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue((inputs, seed, cell), out byte[]? cached)) return (byte[])cached.Clone();
            var model = RandomFloatModel.Create(cell, inputs, hidden: 8, layers: 1, outputs: inputs, seed: seed);
            var rows = new double[400][];
            for (int t = 0; t < rows.Length; t++)
            {
                rows[t] = new double[inputs];
                for (int i = 0; i < inputs; i++) rows[t][i] = Math.Sin(t * 0.2 + i) + 0.05 * Math.Cos(t * 1.7);
            }

            byte[] image = Quantizer.Quantize(model, rows).Image;
            Cache[(inputs, seed, cell)] = image;
            return (byte[])image.Clone();
        }
    }

    /// <summary>An untrained one-channel forecaster normalised to <paramref name="rows"/> (z-score of the data), quantized and calibrated on them.</summary>
    public static byte[] NormalisedFor(double[][] rows, int seed = 11)
    {
        var model = RandomFloatModel.Create(CellType.Lstm, 1, hidden: 16, layers: 1, outputs: 1, seed: seed);
        double mean = rows.Average(r => r[0]);
        double std = Math.Sqrt(rows.Average(r => (r[0] - mean) * (r[0] - mean)));
        model.InputMean[0] = mean;
        model.InputStd[0] = std;
        model.TargetMean[0] = mean;
        model.TargetStd[0] = std;
        return Quantizer.Quantize(model, rows).Image;
    }

    /// <summary>
    /// A forecaster whose detector section watches <paramref name="detectorChannels"/> channels, whatever the
    /// model forecasts (no golden vectors): a shape the detector cannot watch when they differ.
    /// </summary>
    public static byte[] WithDetectorChannels(int inputs, int outputs, int detectorChannels)
    {
        var floatModel = RandomFloatModel.Create(CellType.Gru, inputs, hidden: 4, layers: 1, outputs: outputs, seed: 5);
        var parsed = ModelImage.Parse(Forecaster(inputs));
        var content = Quantizer.BuildContent(floatModel, 16, parsed.InputFracBits, parsed.OutputFracBits, parsed.NormalisedFracBits);
        content.DetectorSection = Embedded.Shared.Detection.DetectorParameters.CreateDefault(detectorChannels, parsed.OutputFracBits).ToBytes();
        return ModelWriter.Write(content);
    }
}
