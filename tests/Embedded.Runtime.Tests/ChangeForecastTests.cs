using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Runtime.Tests;

/// <summary>
/// Change forecasters (header byte 25 = 1): the head gives the change, the runtime adds the step's input,
/// on every kernel path, in step with the float reference; images that cannot mean it are refused.
/// </summary>
public class ChangeForecastTests
{
    private static (FloatModel Model, double[][] Rows, ModelImage Image) Make(CellType cell, int bits, bool[]? change = null)
    {
        var model = RandomFloatModel.Create(cell, 3, 16, 1, 3, 41, changeOutputs: change ?? [true, true, true]);
        var rows = RandomFloatModel.Rows(model, 200, 42);
        return (model, rows, Quantizer.Quantize(model, rows, new QuantizeOptions { Bits = bits }).Parse());
    }

    [Theory]
    [InlineData(CellType.Lstm, 16)]
    [InlineData(CellType.Gru, 8)]
    [InlineData(CellType.Rnn, 16)]
    public void The_flag_round_trips_and_golden_vectors_match_on_every_kernel(CellType cell, int bits)
    {
        var (_, _, image) = Make(cell, bits);
        Assert.True(image.ForecastsChange);
        Assert.Equal([true, true, true], image.ChangeOutputs);
        Assert.Equal(0, Predictor.CountGoldenMismatches(image));
        Assert.Equal(0, AcceleratedPredictor.CountGoldenMismatches(image));
        Assert.Equal(0, Predictor.CountGoldenMismatches(image, AcceleratedKernel.Widening));
        Assert.Equal(0, Predictor.CountGoldenMismatches(image, AcceleratedKernel.Vector128Fused));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported) Assert.Equal(0, Predictor.CountGoldenMismatches(image, AcceleratedKernel.Avx2Only));
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    public void The_forecast_is_the_input_plus_what_a_value_model_with_the_same_weights_gives(bool c0, bool c1, bool c2)
    {
        bool[] flags = [c0, c1, c2];
        var (model, rows, change) = Make(CellType.Lstm, 16, flags);
        // The same weights as a value forecaster, quantised on the same rows: same integer network.
        var asValue = RandomFloatModel.Create(CellType.Lstm, 3, 16, 1, 3, 41);
        var value = Quantizer.Quantize(asValue, rows, new QuantizeOptions { Bits = 16 }).Parse();
        Assert.False(value.ForecastsChange);
        Assert.Equal(value.OutputFracBits, change.OutputFracBits);
        Assert.Equal(value.InputFracBits, change.InputFracBits);
        var a = new Predictor(change);
        var b = new Predictor(value);
        var input = new int[3];
        var outA = new int[3];
        var outB = new int[3];
        int shift = change.OutputFracBits - change.InputFracBits;
        foreach (var row in rows)
        {
            for (int i = 0; i < 3; i++) input[i] = FixedIo.ToFixed(row[i], change.InputFracBits);
            a.Step(input, outA);
            b.Step(input, outB);
            for (int k = 0; k < 3; k++)
            {
                long added = shift >= 0 ? (long)input[k] << shift : ((long)input[k] + (1L << (-shift - 1))) >> -shift;
                Assert.Equal(outB[k] + (flags[k] ? added : 0), outA[k]);
            }
        }
    }

    [Fact]
    public void Fixed_point_tracks_the_float_reference()
    {
        var (model, rows, image) = Make(CellType.Gru, 16);
        var reference = new FloatReference(model);
        var predictor = new Predictor(image);
        var input = new int[3];
        var output = new int[3];
        double worst = 0;
        foreach (var row in rows)
        {
            for (int i = 0; i < 3; i++) input[i] = FixedIo.ToFixed(row[i], image.InputFracBits);
            predictor.Step(input, output);
            var expected = reference.Step(row);
            for (int o = 0; o < 3; o++) worst = Math.Max(worst, Math.Abs(FixedIo.ToDouble(output[o], image.OutputFracBits) - expected[o]));
        }
        Assert.InRange(worst, 0, 0.02);
    }

    [Fact]
    public void Saturates_instead_of_wrapping()
    {
        var (_, _, image) = Make(CellType.Lstm, 16);
        var predictor = new Predictor(image);
        var output = new int[3];
        predictor.Step([int.MaxValue, int.MinValue + 1, 0], output);
        Assert.True(output[0] > 0);
        Assert.True(output[1] < 0);
    }

    [Fact]
    public void Images_that_cannot_mean_it_are_refused()
    {
        var model = RandomFloatModel.Create(CellType.Lstm, 3, 16, 1, 3, 41, changeOutputs: [true, true, true]);
        byte[] bytes = Quantizer.Quantize(model, RandomFloatModel.Rows(model, 50, 42), new QuantizeOptions()).Image;
        Assert.Equal(1, bytes[25]);
        bytes[25] = 2;
        var e = Assert.Throws<ModelFormatException>(() => ModelImage.Parse(Recrc(bytes)));
        Assert.Contains("forecast mode", e.Message);

        // The per-output table follows the head offsets: a flag other than 0/1 is refused by name.
        bytes[25] = 1;
        var parsed = ModelImage.Parse(Recrc((byte[])bytes.Clone()));
        int golden = parsed.GoldenVectorCount * (parsed.InputCount + parsed.OutputCount) * 4;
        int table = bytes.Length - ModelFormat.CrcSize - golden - parsed.DetectorSection.Length - parsed.OutputCount;
        bytes[table] = 2;
        e = Assert.Throws<ModelFormatException>(() => ModelImage.Parse(Recrc(bytes)));
        Assert.Contains("change flag", e.Message);

        var symbols = RandomFloatModel.Create(CellType.Gru, 5, 8, 1, 5, 3, TaskKind.NextSymbol);
        var symbolImage = Quantizer.Quantize(symbols, RandomFloatModel.Rows(symbols, 50, 4), new QuantizeOptions()).Image;
        symbolImage[25] = 1;
        Assert.Throws<ModelFormatException>(() => ModelImage.Parse(Recrc(symbolImage)));
    }

    [Fact]
    public void A_change_forecaster_with_more_outputs_than_inputs_is_refused_by_the_trainer()
    {
        var model = RandomFloatModel.Create(CellType.Lstm, 2, 8, 1, 3, 5, changeOutputs: [false, false, true]);
        Assert.Throws<InvalidDataException>(() => FloatModelFactory.Validate(model, "test"));
    }

    private static byte[] Recrc(byte[] bytes)
    {
        uint crc = Crc32.Compute(bytes, 0, bytes.Length - 4);
        BitConverter.GetBytes(crc).CopyTo(bytes, bytes.Length - 4);
        return bytes;
    }
}
