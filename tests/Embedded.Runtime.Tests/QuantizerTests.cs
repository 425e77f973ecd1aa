using Embedded.Shared;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Runtime.Tests;

public class QuantizerTests
{
    public static TheoryData<CellType, int> CellsAndBits()
    {
        var data = new TheoryData<CellType, int>();
        foreach (var cell in TestModels.Cells) { data.Add(cell, 8); data.Add(cell, 16); }
        return data;
    }

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Image_parses_back_with_the_model_structure(CellType cell, int bits)
    {
        var (model, _, quantized) = TestModels.Make(cell, bits);
        var image = quantized.Parse();
        Assert.Equal(cell, image.Cell);
        Assert.Equal(TaskKind.Forecast, image.Task);
        Assert.Equal(bits, image.WeightBits);
        Assert.Equal(model.InputSize, image.InputCount);
        Assert.Equal(model.HiddenSize, image.HiddenSize);
        Assert.Equal(model.Layers, image.LayerCount);
        Assert.Equal(model.OutputSize, image.OutputCount);
        Assert.Equal(quantized.Image.Length, image.Length);
        Assert.Equal(16, image.GoldenVectorCount);
    }

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Golden_vectors_reproduce_bit_exactly_on_the_portable_kernel(CellType cell, int bits)
    {
        var (_, _, quantized) = TestModels.Make(cell, bits);
        Assert.Equal(0, Predictor.CountGoldenMismatches(quantized.Parse()));
    }

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Fixed_point_outputs_track_the_float_reference(CellType cell, int bits)
    {
        var (model, rows, quantized) = TestModels.Make(cell, bits);
        var image = quantized.Parse();
        var reference = new FloatReference(model);
        var predictor = new Predictor(image);
        var input = new int[image.InputCount];
        var output = new int[image.OutputCount];
        double worst = 0;
        foreach (var row in rows)
        {
            for (int i = 0; i < input.Length; i++) input[i] = FixedIo.ToFixed(row[i], image.InputFracBits);
            predictor.Step(input, output);
            var expected = reference.Step(row);
            for (int o = 0; o < output.Length; o++) worst = Math.Max(worst, Math.Abs(FixedIo.ToDouble(output[o], image.OutputFracBits) - expected[o]));
        }
        // Outputs are O(1); int16 weights should be within a few 1e-3, int8 within a few 1e-2.
        Assert.True(worst < (bits == 16 ? 0.01 : 0.08), $"max |fixed - float| = {worst}");
        Assert.Equal(worst, quantized.Report.MaxAbsVsFloat, 9);
    }

    [Fact]
    public void Reset_restarts_the_stream()
    {
        var (_, rows, quantized) = TestModels.Make(CellType.Lstm, 16);
        var image = quantized.Parse();
        var predictor = new Predictor(image);
        var first = Quantizer.RunFixed(image, rows, image.InputFracBits);
        var input = new int[image.InputCount];
        var output = new int[image.OutputCount];
        for (int t = 0; t < 50; t++) { for (int i = 0; i < input.Length; i++) input[i] = FixedIo.ToFixed(rows[t][i], image.InputFracBits); predictor.Step(input, output); }
        predictor.Reset();
        for (int t = 0; t < 10; t++)
        {
            for (int i = 0; i < input.Length; i++) input[i] = FixedIo.ToFixed(rows[t][i], image.InputFracBits);
            predictor.Step(input, output);
            Assert.Equal(first[t], output);
        }
    }
}
