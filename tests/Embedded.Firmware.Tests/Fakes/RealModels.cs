using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>Real model images from the project's quantizer (random weights), cached per shape.</summary>
internal static class RealModels
{
    private static readonly Dictionary<string, byte[]> Cache = new();

    public static byte[] Forecaster(int inputs = 1, int hidden = 8, CellType cell = CellType.Gru, int seed = 1, int bits = 16)
    {
        string key = $"{cell}/{inputs}/{hidden}/{seed}/{bits}";
        lock (Cache)
        {
            if (!Cache.TryGetValue(key, out var image))
            {
                var model = RandomFloatModel.Create(cell, inputs, hidden, 1, inputs, seed);
                var rows = RandomFloatModel.Rows(model, 300, seed + 100);
                image = Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = bits }).Image;
                Cache[key] = image;
            }
            return image;
        }
    }
}
