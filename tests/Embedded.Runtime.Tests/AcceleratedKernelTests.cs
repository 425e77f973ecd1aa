using Embedded.KernelCheck;
using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Runtime.Tests;

public class AcceleratedKernelTests
{
    public static TheoryData<CellType, int> CellsAndBits() => QuantizerTests.CellsAndBits();

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Golden_vectors_reproduce_bit_exactly_on_the_accelerated_kernels(CellType cell, int bits)
    {
        var image = TestModels.Make(cell, bits).Quantized.Parse();
        Assert.Equal(0, AcceleratedPredictor.CountGoldenMismatches(image));
        Assert.Equal(0, Predictor.CountGoldenMismatches(image, AcceleratedKernel.Avx2Only));
        Assert.Equal(0, Predictor.CountGoldenMismatches(image, AcceleratedKernel.Widening));
        Assert.Equal(0, Predictor.CountGoldenMismatches(image, AcceleratedKernel.Vector128Fused));
    }

    [Fact]
    public void Each_kernel_instance_runs_the_fused_layer_path_it_names()
    {
        var image = TestModels.Make(CellType.Lstm, 8).Quantized.Parse();
        var parameters = image.Layers[0];
        foreach (var (kernel, path) in new[] { (AcceleratedKernel.Avx2Only, "vector256"), (AcceleratedKernel.Vector128Fused, "vector128"), (AcceleratedKernel.Widening, "none") })
        {
            if (path == "vector256" && !System.Runtime.Intrinsics.X86.Avx2.IsSupported) continue;
            if (path == "vector128" && !System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated) continue;
            Assert.Equal(path, kernel.LayerPath);
            var layer = RecurrentLayer.Create(CellType.Lstm, parameters, image.HiddenSize, kernel);
            Assert.Equal(path == "none", layer is LstmLayer);
        }
    }

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Accelerated_equals_portable_on_random_and_extreme_inputs(CellType cell, int bits)
    {
        // Odd sizes exercise the padding and the row remainder; wide rows exercise accumulation range.
        // H = 32 and 64 fill every block of 16 gate rows with real rows, so groups of 2, 4 and 8 blocks
        // (RNN 32: 2; GRU 32: 4 + 2; RNN 64: 4; GRU 64: 8 + 4; LSTM: 8s) all carry values that do not saturate.
        foreach (var (inputs, hidden) in new[] { (1, 1), (5, 13), (37, 70), (8, 32), (3, 64) })
        {
            var image = TestModels.Make(cell, bits, inputs, hidden, layers: 2, outputs: 3, seed: hidden, rows: 20).Quantized.Parse();
            var portable = new Predictor(image);
            var avx = new Predictor(image, AcceleratedKernel.Instance);
            var widening = new Predictor(image, AcceleratedKernel.Widening);
            var avx2 = new Predictor(image, AcceleratedKernel.Avx2Only);
            var vector128 = new Predictor(image, AcceleratedKernel.Vector128Fused);
            var rng = new Random(hidden);
            var input = new int[image.InputCount];
            int[] a = new int[image.OutputCount], b = new int[image.OutputCount], c = new int[image.OutputCount], d = new int[image.OutputCount], e = new int[image.OutputCount];
            for (int t = 0; t < 400; t++)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    input[i] = (t / 50) switch
                    {
                        0 or 1 or 2 => rng.Next(-(1 << image.InputFracBits) * 3, (1 << image.InputFracBits) * 3),
                        3 => rng.Next(2) == 0 ? int.MaxValue : int.MinValue,
                        _ => rng.Next(int.MinValue, int.MaxValue),
                    };
                }
                portable.Step(input, a);
                avx.Step(input, b);
                widening.Step(input, c);
                avx2.Step(input, d);
                vector128.Step(input, e);
                Assert.Equal(a, b);
                Assert.Equal(a, c);
                Assert.Equal(a, d);
                Assert.Equal(a, e);
            }
        }
    }

    [Fact]
    public void Matrix_products_are_exact_at_the_extremes_of_the_weight_and_input_range()
    {
        // 7 rows: the row-dot product (a dense head); 20: the row-interleaved blocks.
        foreach (int rows in new[] { 7, 20 })
        foreach (int bits in new[] { 8, 16 })
        {
            int cols = ModelFormat.MaxWidth;
            int max = bits == 8 ? 127 : 32767;
            var w8 = bits == 8 ? new sbyte[rows * cols] : null;
            var w16 = bits == 16 ? new short[rows * cols] : null;
            var rng = new Random(bits);
            for (int i = 0; i < rows * cols; i++)
            {
                int v = (i / cols) switch { 0 => max, 1 => -max, _ => rng.Next(-max, max + 1) };
                if (w8 != null) w8[i] = (sbyte)v; else w16![i] = (short)v;
            }
            var matrix = new QuantizedMatrix(rows, cols, w8, w16, new int[rows], new int[rows]);
            foreach (short fill in new short[] { short.MinValue, short.MaxValue })
            {
                var x = Enumerable.Repeat(fill, cols).ToArray();
                long[] expected = new long[rows], avx = new long[rows], widening = new long[rows], avx2 = new long[rows];
                PortableKernel.Instance.Create(matrix).Multiply(x, expected);
                AcceleratedKernel.Instance.Create(matrix).Multiply(x, avx);
                AcceleratedKernel.Widening.Create(matrix).Multiply(x, widening);
                AcceleratedKernel.Avx2Only.Create(matrix).Multiply(x, avx2);
                Assert.Equal((long)max * fill * cols, expected[0]);
                Assert.Equal(expected, avx);
                Assert.Equal(expected, widening);
                Assert.Equal(expected, avx2);
            }
        }
    }

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Layers_equal_portable_layers_at_the_extremes_of_the_format(CellType cell, int bits) =>
        AssertLayersEqualAtExtremes(cell, bits, (rng, r) => r % 11 == 0 ? 0 : r % 13 == 0 ? 62 : rng.Next(8, 40));

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Layers_equal_portable_layers_at_the_ends_of_the_int32_requantisation_shift_range(CellType cell, int bits) =>
        // Every shift in [17, 46]: int8 products requantise in int32 lanes; the ends of that range included.
        AssertLayersEqualAtExtremes(cell, bits, (rng, r) => r % 5 == 0 ? 17 : r % 7 == 0 ? 46 : rng.Next(17, 47));

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Layers_equal_portable_layers_where_the_requantisation_clamp_cannot_bite(CellType cell, int bits) =>
        // Every shift ≥ 30: no row sum (≤ 2^54 after the multiplier) can scale past ±MaxBias, so the clamp is skipped, and
        // the 256-bit int64 requantisation takes 2^63 >> s off with the bias (zero below s = 32, so 31 and 32 included).
        AssertLayersEqualAtExtremes(cell, bits, (rng, r) => r % 5 == 0 ? 31 : r % 7 == 0 ? 62 : r % 11 == 0 ? 32 : rng.Next(30, 63));

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Layers_equal_portable_layers_with_inputs_at_the_limit_of_the_unsplit_int16_input_product(CellType cell, int bits)
    {
        // int16 weights: the 256- and 128-bit layers take the input product unsplit in a step where every |x| is within
        // (2^31 − 1) / (largest input row L1), else split. Inputs at that limit (all of the sign of a whole ±max row: the
        // largest sum that stays unsplit), just past it, within it and over the whole range. Input shifts all in [17, 46]
        // (the unsplit sums requantised in int32 lanes, the ends included) or not (int64 lanes).
        foreach (var (width, hidden, int32) in new[] { (8, 32, true), (8, 32, false), (3, 17, false), (6, 48, true), (ModelFormat.MaxWidth, 16, false) })
        {
            var rng = new Random(width * 7 + hidden);
            int gates = cell switch { CellType.Lstm => 4, CellType.Gru => 3, _ => 1 };
            var wx = ExtremeParameters.Matrix(rng, gates * hidden, width, bits,
                int32 ? (r, row) => row % 5 == 0 ? 17 : row % 7 == 0 ? 46 : r.Next(17, 47) : (r, row) => row % 3 == 0 ? 8 : r.Next(8, 50));
            var parameters = new RecurrentLayerParameters(wx, ExtremeParameters.Matrix(rng, gates * hidden, hidden, bits, (r, _) => r.Next(8, 50)),
                ExtremeParameters.Bias(rng, gates * hidden), ExtremeParameters.Bias(rng, gates * hidden));
            long maxL1 = 1;
            for (int r = 0; r < wx.Rows; r++) maxL1 = Math.Max(maxL1, Enumerable.Range(0, wx.Cols).Sum(c => (long)Math.Abs(wx.Weight(r, c))));
            int limit = (int)Math.Min(32767, int.MaxValue / maxL1);
            var layers = new IKernel[] { PortableKernel.Instance, AcceleratedKernel.Instance, AcceleratedKernel.Avx2Only, AcceleratedKernel.Vector128Fused }
                .Select(k => RecurrentLayer.Create(cell, parameters, hidden, k)).ToArray();
            var input = new short[width];
            for (int t = 0; t < 100; t++)
            {
                for (int i = 0; i < width; i++)
                {
                    input[i] = (short)((t % 5) switch
                    {
                        0 => limit,
                        1 => -limit,
                        2 => rng.Next(-limit, limit + 1),
                        3 => i == t % width ? (rng.Next(2) == 0 ? limit + 1 : -limit - 1) : rng.Next(-limit, limit + 1),
                        _ => rng.Next(short.MinValue, short.MaxValue + 1),
                    });
                }
                foreach (var layer in layers) layer.Step(input);
                for (int k = 1; k < layers.Length; k++) Assert.Equal(layers[0].State, layers[k].State);
            }
        }
    }

    private static void AssertLayersEqualAtExtremes(CellType cell, int bits, Func<Random, int, int> shift)
    {
        // Weights, scales, shifts and biases drawn over the whole valid range (not what a quantizer
        // writes), so the fused layers' int32 lanes and 64-bit requantisation meet their worst cases.
        // H = 16 and 48 update the state in place with a padded block past its end; 17 and 130 go through the padded copy.
        // Gate rows in whole groups of 8 blocks (LSTM at 32, 48, 130; RNN and GRU at 128, GRU's n gate a group of its
        // own) take the one-pass products with requantisation in registers when every shift allows int32.
        foreach (var (width, hidden) in new[] { (8, 32), (3, 17), (5, 16), (6, 48), (8, 128), (ModelFormat.MaxWidth, 130) })
        {
            var rng = new Random(width * 1000 + hidden);
            int gates = cell switch { CellType.Lstm => 4, CellType.Gru => 3, _ => 1 };
            var parameters = new RecurrentLayerParameters(
                ExtremeParameters.Matrix(rng, gates * hidden, width, bits, shift), ExtremeParameters.Matrix(rng, gates * hidden, hidden, bits, shift),
                ExtremeParameters.Bias(rng, gates * hidden), ExtremeParameters.Bias(rng, gates * hidden));
            var layers = new IKernel[] { PortableKernel.Instance, AcceleratedKernel.Instance, AcceleratedKernel.Avx2Only, AcceleratedKernel.Widening, AcceleratedKernel.Vector128Fused }
                .Select(k => RecurrentLayer.Create(cell, parameters, hidden, k)).ToArray();
            var input = new short[width];
            for (int t = 0; t < 60; t++)
            {
                for (int i = 0; i < width; i++)
                {
                    input[i] = (t % 3) switch { 0 => (short)rng.Next(short.MinValue, short.MaxValue + 1), 1 => short.MaxValue, _ => short.MinValue };
                }
                if (t == 40) foreach (var layer in layers) layer.Reset();
                foreach (var layer in layers) layer.Step(input);
                for (int k = 1; k < layers.Length; k++) Assert.Equal(layers[0].State, layers[k].State);
            }
        }
    }
}
