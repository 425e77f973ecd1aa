using System.Reflection;
using Embedded.KernelCheck;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Runtime.Tests;

/// <summary>
/// The two int8 forms of the portable kernel: packed two rows per 64-bit word, and straight from the
/// model's bytes. Both must equal the textbook sum for every shape and at the ends of the format's range.
/// </summary>
public class PortableKernelTests
{
    private static long[] Reference(sbyte[] w, int rows, int cols, short[] x)
    {
        var sums = new long[rows];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) sums[r] += (long)w[r * cols + c] * x[c];
        return sums;
    }

    [Theory]
    // Whole passes of eight rows, every remainder of row pairs, an odd last row, a single row or column.
    [InlineData(8, 5)]
    [InlineData(1, 1)]
    [InlineData(1, 17)]
    [InlineData(3, 2)]
    [InlineData(7, 9)]
    [InlineData(12, 3)]
    [InlineData(13, 31)]
    [InlineData(128, 32)]
    [InlineData(513, 8)]
    public void Packed_and_byte_forms_equal_the_reference_sum(int rows, int cols)
    {
        var rng = new Random(rows * 1000 + cols);
        var w = new sbyte[rows * cols];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-127, 128);
        var x = new short[cols];
        for (int trial = 0; trial < 20; trial++)
        {
            for (int c = 0; c < cols; c++) x[c] = (short)rng.Next(short.MinValue, short.MaxValue + 1);
            long[] expected = Reference(w, rows, cols, x);
            // Stale values in the output prove every row is written.
            long[] packed = Enumerable.Repeat(long.MinValue, rows).ToArray();
            long[] bytes = Enumerable.Repeat(long.MinValue, rows).ToArray();
            new PortablePackedMatVec8(w, rows, cols).Multiply(x, packed);
            new PortableMatVec8(w, rows, cols).Multiply(x, bytes);
            Assert.Equal(expected, packed);
            Assert.Equal(expected, bytes);
        }
    }

    [Fact]
    public void Packed_sums_are_exact_at_the_largest_magnitudes_the_format_allows()
    {
        // Width 512, |w| = 127, x = -32768 or 32767: row sums reach +-2,130,706,432, just inside int32, so
        // the low half must not borrow into the high half. Rows alternate signs so both halves of a word
        // carry opposite extremes, and the odd ninth row sits alone in its word.
        const int rows = 9, cols = ModelFormat.MaxWidth;
        var w = new sbyte[rows * cols];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) w[r * cols + c] = (sbyte)(r % 2 == 0 ? 127 : -127);
        foreach (short fill in new short[] { short.MinValue, short.MaxValue, -1, 1 })
        {
            var x = Enumerable.Repeat(fill, cols).ToArray();
            var packed = new long[rows];
            new PortablePackedMatVec8(w, rows, cols).Multiply(x, packed);
            Assert.Equal(Reference(w, rows, cols, x), packed);
            Assert.Equal(127L * fill * cols, packed[0]);
            Assert.Equal(-127L * fill * cols, packed[1]);
        }
    }

    [Fact]
    public void The_budget_decides_per_matrix_whether_to_pack()
    {
        var small = new QuantizedMatrix(16, 8, new sbyte[16 * 8], null, new int[16], new int[16]);
        var large = new QuantizedMatrix(128, 32, new sbyte[128 * 32], null, new int[128], new int[128]);
        var budget = new PortableKernel(PortablePackedMatVec8.PackedBytes(16, 8));
        Assert.Equal(8 * 8 * 8, PortablePackedMatVec8.PackedBytes(16, 8));
        Assert.Equal(8 * 8 * 8, PortablePackedMatVec8.PackedBytes(15, 8));
        Assert.IsType<PortablePackedMatVec8>(budget.Create(small));
        Assert.IsType<PortableMatVec8>(budget.Create(large));
        Assert.IsType<PortablePackedMatVec8>(PortableKernel.Instance.Create(large));
        Assert.IsType<PortableMatVec8>(PortableKernel.Compact.Create(small));
        var wide = new QuantizedMatrix(4, 4, null, new short[16], new int[4], new int[4]);
        Assert.IsType<PortableMatVec16>(PortableKernel.Instance.Create(wide));
    }

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Packed_and_compact_predictors_agree_and_reproduce_the_golden_vectors(CellType cell, int bits)
    {
        // Hidden 13 takes every loop tail; hidden 16 the written-out products of the fused layers and the head.
        foreach (int hidden in new[] { 13, 16 })
        {
            PredictorsAgree(TestModels.Make(cell, bits, 5, hidden, layers: 2, outputs: 3, seed: 13, rows: 20).Quantized.Parse());
        }
    }

    private static void PredictorsAgree(ModelImage image)
    {
        Assert.Equal(0, Predictor.CountGoldenMismatches(image, PortableKernel.Instance));
        Assert.Equal(0, Predictor.CountGoldenMismatches(image, PortableKernel.Compact));
        var packed = new Predictor(image, PortableKernel.Instance);
        var compact = new Predictor(image, PortableKernel.Compact);
        // A budget that packs the small input matrices and not the recurrent ones.
        var mixed = new Predictor(image, new PortableKernel(PortablePackedMatVec8.PackedBytes(3 * 13, 5)));
        // The plain layers compiled code runs (PC, Pi): the same bits as the fused ones.
        var plainLayers = new Predictor(image, PortableKernel.Compiled);
        Assert.Equal(0, Predictor.CountGoldenMismatches(image, PortableKernel.Compiled));
        var rng = new Random(5);
        var input = new int[image.InputCount];
        int[] a = new int[image.OutputCount], b = new int[image.OutputCount], c = new int[image.OutputCount], d = new int[image.OutputCount];
        for (int t = 0; t < 300; t++)
        {
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (t % 4) switch { 0 => int.MaxValue, 1 => int.MinValue, _ => rng.Next(-40000, 40000) };
            }
            packed.Step(input, a);
            compact.Step(input, b);
            mixed.Step(input, c);
            plainLayers.Step(input, d);
            Assert.Equal(a, b);
            Assert.Equal(a, c);
            Assert.Equal(a, d);
        }
    }

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Fused_portable_layers_equal_the_plain_layers_at_the_extremes(CellType cell, int bits)
    {
        // The fused per-unit LSTM/GRU (PortableKernel's own layers) against LstmLayer/GruLayer over the plain
        // products (the Compact kernel fuses nothing), with weights, scales, shifts and biases over the format's
        // whole range: small shifts make RowScale's clamp act (the fused step's clamp path), large ones never
        // clamp (the path that skips it). Odd widths and hidden sizes take every loop tail.
        foreach (var (shiftLow, shiftHigh) in new[] { (0, 20), (30, 47) })
        foreach (var (width, hidden) in new[] { (1, 16), (2, 16), (3, 17), (8, 32), (5, 1) })
        {
            var rng = new Random(width * 1000 + hidden + shiftLow);
            int gates = cell switch { CellType.Lstm => 4, CellType.Gru => 3, _ => 1 };
            var parameters = new RecurrentLayerParameters(
                ExtremeParameters.Matrix(rng, gates * hidden, width, bits, (r, _) => r.Next(shiftLow, shiftHigh)),
                ExtremeParameters.Matrix(rng, gates * hidden, hidden, bits, (r, _) => r.Next(shiftLow, shiftHigh)),
                ExtremeParameters.Bias(rng, gates * hidden), ExtremeParameters.Bias(rng, gates * hidden));
            var fused = RecurrentLayer.Create(cell, parameters, hidden, PortableKernel.Instance);
            var plain = RecurrentLayer.Create(cell, parameters, hidden, PortableKernel.Compact);
            Assert.Equal(cell == CellType.Lstm, fused is FusedPortableLstmLayer);
            Assert.Equal(cell == CellType.Gru, fused is FusedPortableGruLayer);
            Assert.IsNotType<FusedPortableLstmLayer>(plain);
            Assert.IsNotType<FusedPortableGruLayer>(plain);
            var input = new short[width];
            for (int t = 0; t < 60; t++)
            {
                for (int i = 0; i < width; i++)
                {
                    input[i] = (t % 3) switch { 0 => (short)rng.Next(short.MinValue, short.MaxValue + 1), 1 => short.MaxValue, _ => short.MinValue };
                }
                if (t == 40)
                {
                    fused.Reset();
                    plain.Reset();
                }
                fused.Step(input);
                plain.Step(input);
                Assert.Equal(plain.State, fused.State);
            }
        }
    }

    [Theory]
    [InlineData(CellType.Lstm, 8)]
    [InlineData(CellType.Lstm, 16)]
    [InlineData(CellType.Gru, 8)]
    [InlineData(CellType.Gru, 16)]
    public void Fused_layers_fold_the_biases_into_the_rounding_when_no_sum_can_overflow(CellType cell, int bits)
    {
        // A quantised model's layers take the fused step's fast path (biases folded into the rounding terms, no
        // clamp); mid-range shifts take it for random extreme weights too. Either way the bits are the plain layers'.
        var model = TestModels.Make(cell, bits, 3, 16, layers: 2, seed: 21).Quantized.Parse();
        var cases = new List<(RecurrentLayerParameters Parameters, int Width, int Hidden)>();
        for (int l = 0; l < model.LayerCount; l++) cases.Add((model.Layers[l], model.Layers[l].Input.Cols, model.HiddenSize));
        var rng = new Random(bits * 10 + (int)cell);
        int gates = cell == CellType.Lstm ? 4 : 3;
        foreach (var (width, hidden) in new[] { (1, 16), (3, 17), (5, 1) })
        {
            cases.Add((new RecurrentLayerParameters(
                ExtremeParameters.Matrix(rng, gates * hidden, width, bits, (r, _) => r.Next(24, 31)),
                ExtremeParameters.Matrix(rng, gates * hidden, hidden, bits, (r, _) => r.Next(24, 31)),
                ExtremeParameters.Bias(rng, gates * hidden), ExtremeParameters.Bias(rng, gates * hidden)), width, hidden));
        }
        int folded = 0;
        foreach (var (parameters, width, hidden) in cases)
        {
            var fused = RecurrentLayer.Create(cell, parameters, hidden, PortableKernel.Instance);
            var plain = RecurrentLayer.Create(cell, parameters, hidden, PortableKernel.Compact);
            object rows = fused.GetType().GetField("_rows", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(fused)!;
            if (!(bool)rows.GetType().GetField("MayClamp")!.GetValue(rows)!) folded++;
            var input = new short[width];
            for (int t = 0; t < 80; t++)
            {
                for (int i = 0; i < width; i++)
                {
                    input[i] = (t % 3) switch { 0 => (short)rng.Next(short.MinValue, short.MaxValue + 1), 1 => short.MaxValue, _ => short.MinValue };
                }
                fused.Step(input);
                plain.Step(input);
                Assert.Equal(plain.State, fused.State);
            }
        }
        Assert.True(folded >= cases.Count, $"{folded} of {cases.Count} layers folded");
    }

    [Fact]
    public void Fused_layers_stay_within_the_kernel_budget()
    {
        // int16 rows are copied (2 bytes a weight) and int8 rows packed only when the copy fits the per-matrix budget.
        var image = TestModels.Make(CellType.Lstm, 16, 3, 16).Quantized.Parse();
        var parameters = image.Layers[0];
        Assert.IsType<FusedPortableLstmLayer>(RecurrentLayer.Create(CellType.Lstm, parameters, 16, new PortableKernel(4 * 16 * 16 * 2)));
        Assert.IsType<LstmLayer>(RecurrentLayer.Create(CellType.Lstm, parameters, 16, new PortableKernel(4 * 16 * 16 * 2 - 1)));
        Assert.IsType<LstmLayer>(RecurrentLayer.Create(CellType.Lstm, parameters, 16, PortableKernel.Compact));
    }

    public static TheoryData<CellType, int> CellsAndBits() => QuantizerTests.CellsAndBits();
}
