using Embedded.Shared;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Runtime.Tests;

/// <summary>Specific, named errors for each kind of defect; the format's documented layout.</summary>
public class ModelFormatTests
{
    private static byte[] Image() => TestModels.Make(CellType.Gru, 8, hidden: 8, layers: 1).Quantized.Image;

    /// <summary>Rewrites the trailing CRC so that a deliberate field change reaches the field validation.</summary>
    internal static void FixCrc(byte[] image)
    {
        if (image.Length < 4) return;
        uint crc = Crc32.Compute(image, 0, image.Length - 4);
        BitConverter.TryWriteBytes(image.AsSpan(image.Length - 4), crc);
    }

    private static ModelFormatException Fails(byte[] image) => Assert.Throws<ModelFormatException>(() => ModelImage.Parse(image));

    [Fact]
    public void Header_starts_with_the_documented_magic_and_sizes()
    {
        var image = Image();
        Assert.Equal("RNNQ", System.Text.Encoding.ASCII.GetString(image, 0, 4));
        Assert.Equal(1, BitConverter.ToUInt16(image, 4));
        Assert.Equal(48, BitConverter.ToUInt16(image, 6));
        Assert.Equal(image.Length, BitConverter.ToInt32(image, 8));
        Assert.Equal(Crc32.Compute(image, 0, image.Length - 4), BitConverter.ToUInt32(image, image.Length - 4));
    }

    [Fact]
    public void Null_and_short_images_are_rejected()
    {
        Assert.Contains("null", Assert.Throws<ModelFormatException>(() => ModelImage.Parse(null!)).Message);
        Assert.Contains("shorter than", Fails(new byte[10]).Message);
    }

    [Fact]
    public void Wrong_magic_is_named()
    {
        var image = Image();
        image[0] = (byte)'X';
        Assert.Contains("magic", Fails(image).Message);
    }

    [Fact]
    public void Unsupported_version_is_named()
    {
        var image = Image();
        image[4] = 2;
        FixCrc(image);
        Assert.Contains("format version is 2", Fails(image).Message);
    }

    [Fact]
    public void Truncated_image_reports_the_declared_length()
    {
        var image = Image();
        var cut = image.AsSpan(0, image.Length - 10).ToArray();
        var e = Fails(cut);
        Assert.Contains("header declares", e.Message);
        Assert.Equal(8, e.Offset);
    }

    [Fact]
    public void Damaged_byte_is_a_crc_mismatch()
    {
        var image = Image();
        image[100] ^= 0x10;
        Assert.Contains("CRC-32 mismatch", Fails(image).Message);
    }

    [Fact]
    public void Out_of_range_header_fields_are_named()
    {
        (int Offset, byte Value, string Expected)[] cases =
        [
            (12, 9, "cell type is 9"),
            (13, 0, "task is 0"),
            (14, 12, "weight bits is 12"),
            (15, 0, "layer count is 0"),
            (22, 200, "input frac bits is 200"),
            (24, 16, "normalised input frac bits is 16"),
            (25, 2, "forecast mode is 2"),
        ];
        foreach (var (offset, value, expected) in cases)
        {
            var image = Image();
            image[offset] = value;
            FixCrc(image);
            var e = Fails(image);
            Assert.Contains(expected, e.Message);
            Assert.Equal(offset, e.Offset);
        }
    }

    [Fact]
    public void Sizes_that_do_not_add_up_are_rejected_before_allocating()
    {
        var image = Image();
        BitConverter.TryWriteBytes(image.AsSpan(18, 2), (ushort)512); // hidden size 512 implies megabytes
        FixCrc(image);
        Assert.Contains("describe a", Fails(image).Message);
    }

    [Fact]
    public void Invalid_weight_is_named_with_its_matrix()
    {
        var model = TestModels.Make(CellType.Rnn, 8, inputs: 1, hidden: 1, layers: 1, outputs: 1);
        var image = model.Quantized.Image;
        // Layout: header 48, normalisation 8, layer-0 input matrix: 1 row scale (4 bytes), then the weight.
        image[48 + 8 + 4] = 0x80; // -128
        FixCrc(image);
        Assert.Contains("layer 0 input weights is -128", Fails(image).Message);
    }

    [Fact]
    public void Parsed_fields_match_the_writer()
    {
        var (model, _, quantized) = TestModels.Make(CellType.Lstm, 16, inputs: 2, hidden: 5, layers: 3, outputs: 4);
        var image = quantized.Parse();
        var content = Quantizer.BuildContent(model, 16, image.InputFracBits, image.OutputFracBits, image.NormalisedFracBits);
        Assert.Equal(content.InputMeans, image.InputMeans);
        Assert.Equal(content.InputMultipliers, image.InputMultipliers);
        Assert.Equal(content.HeadOffsets, image.HeadOffsets);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(content.Layers[k].Input.Weights16, image.Layers[k].Input.Weights16);
            Assert.Equal(content.Layers[k].Recurrent.Shifts, image.Layers[k].Recurrent.Shifts);
            Assert.Equal(content.Layers[k].RecurrentBias, image.Layers[k].RecurrentBias);
        }
        Assert.Equal(0, Predictor.CountGoldenMismatches(image));
    }

    [Fact]
    public void Next_symbol_models_store_the_vocabulary_and_step_on_symbols()
    {
        var (model, rows, quantized) = TestModels.Make(CellType.Gru, 16, inputs: 28, hidden: 16, layers: 1, outputs: 28, task: TaskKind.NextSymbol);
        var image = quantized.Parse();
        Assert.Equal(TaskKind.NextSymbol, image.Task);
        Assert.Equal(1, image.InputCount);
        Assert.Equal(28, image.FirstLayerWidth);
        Assert.Equal(model.Vocabulary, new string(image.Vocabulary));
        Assert.Equal(2, image.SymbolOf(model.Vocabulary![2]));
        Assert.Equal(0, Predictor.CountGoldenMismatches(image));
        var viaStep = new Predictor(image);
        var viaSymbol = new Predictor(image);
        int[] a = new int[28], b = new int[28];
        var reference = new FloatReference(model);
        double worst = 0;
        foreach (var row in rows)
        {
            viaStep.Step([(int)row[0]], a);
            viaSymbol.StepSymbol((int)row[0], b);
            Assert.Equal(a, b);
            var expected = reference.StepSymbol((int)row[0]);
            for (int o = 0; o < 28; o++) worst = Math.Max(worst, Math.Abs(a[o] / Math.Pow(2, image.OutputFracBits) - expected[o]));
        }
        Assert.True(worst < 0.01, $"max |fixed - float| logit error {worst}");
        // Unknown symbols feed a zero vector rather than failing.
        viaSymbol.StepSymbol(-5, b);
        viaSymbol.StepSymbol(1000, b);
    }

    [Fact]
    public void Classify_models_emit_logits()
    {
        var (model, rows, quantized) = TestModels.Make(CellType.Lstm, 16, inputs: 4, hidden: 8, layers: 1, outputs: 3, task: TaskKind.Classify);
        var image = quantized.Parse();
        Assert.Equal(TaskKind.Classify, image.Task);
        Assert.Null(quantized.Report.RmseFixed);
        Assert.True(quantized.Report.MaxAbsVsFloat < 0.01);
        Assert.Equal(0, Predictor.CountGoldenMismatches(image));
    }
}
