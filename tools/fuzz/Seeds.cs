using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Fuzz;

/// <summary>Small valid images of every cell, width and task: the starting corpus.</summary>
public static class Seeds
{
    public static byte[][] Create()
    {
        var images = new List<byte[]>();
        int seed = 1;
        foreach (var cell in new[] { CellType.Rnn, CellType.Lstm, CellType.Gru })
        {
            foreach (int bits in new[] { 8, 16 })
            {
                images.Add(Make(cell, bits, 2, 4, 2, 2, TaskKind.Forecast, seed++));
                images.Add(Make(cell, bits, 3, 3, 1, 2, TaskKind.Classify, seed++));
                images.Add(Make(cell, bits, 6, 3, 1, 6, TaskKind.NextSymbol, seed++));
            }
        }
        return images.ToArray();
    }

    private static byte[] Make(CellType cell, int bits, int inputs, int hidden, int layers, int outputs, TaskKind task, int seed)
    {
        var model = RandomFloatModel.Create(cell, inputs, hidden, layers, outputs, seed, task);
        var rows = RandomFloatModel.Rows(model, 24, seed);
        return Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = bits, GoldenSteps = 6 }).Image;
    }
}
