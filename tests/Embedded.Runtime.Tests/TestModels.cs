using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Runtime.Tests;

/// <summary>Small random models and their quantised images, shared by the runtime tests.</summary>
internal static class TestModels
{
    public static readonly CellType[] Cells = [CellType.Rnn, CellType.Lstm, CellType.Gru];

    public static (FloatModel Model, double[][] Rows, QuantizedModel Quantized) Make(CellType cell, int bits,
        int inputs = 3, int hidden = 16, int layers = 2, int outputs = 2, int seed = 1, TaskKind task = TaskKind.Forecast, int rows = 200)
    {
        var model = RandomFloatModel.Create(cell, inputs, hidden, layers, outputs, seed, task);
        var data = RandomFloatModel.Rows(model, rows, seed + 100);
        var quantized = Quantizer.Quantize(model, data, new QuantizeOptions { Bits = bits });
        return (model, data, quantized);
    }
}
