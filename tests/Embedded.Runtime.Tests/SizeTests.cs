using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Runtime.Tests;

/// <summary>model.bin is at most the raw parameter bytes + 512 + the golden vectors.</summary>
public class SizeTests
{
    [Theory]
    [InlineData(CellType.Lstm, 8, 8, 32, 1)]
    [InlineData(CellType.Lstm, 16, 8, 128, 1)]
    [InlineData(CellType.Gru, 8, 8, 32, 2)]
    [InlineData(CellType.Gru, 16, 1, 4, 1)]
    [InlineData(CellType.Rnn, 8, 3, 1, 3)]
    public void Image_size_is_parameters_plus_a_small_fixed_overhead(CellType cell, int bits, int inputs, int hidden, int layers)
    {
        var (_, _, quantized) = TestModels.Make(cell, bits, inputs, hidden, layers, outputs: 1, rows: 40);
        int gates = ModelFormat.Gates(cell), rows = gates * hidden, weight = bits / 8;
        // Computed from the shapes, independently of the writer: weights at their width, a 4-byte scale
        // per matrix row, int32 biases (b_ih, b_hh) and head offsets, 8 bytes of normalisation per input.
        int parameters = inputs * 8;
        for (int k = 0; k < layers; k++)
        {
            int width = k == 0 ? inputs : hidden;
            parameters += rows * (4 + width * weight) + rows * (4 + hidden * weight) + 2 * rows * 4;
        }
        parameters += 1 * (4 + hidden * weight + 4);
        int golden = quantized.Report.GoldenBytes;
        Assert.Equal(parameters, quantized.Report.ParameterBytes);
        Assert.Equal(16 * (inputs + 1) * 4, golden);
        int size = quantized.Image.Length - quantized.Report.DetectorBytes;
        Assert.True(size <= parameters + 512 + golden, $"{size} bytes > {parameters} + 512 + {golden}");
        Assert.Equal(parameters + 48 + 4 + golden, size); // header + CRC is the whole overhead
    }
}
