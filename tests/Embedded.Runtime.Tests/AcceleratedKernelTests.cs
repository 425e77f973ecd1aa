using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
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
    }

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Accelerated_equals_portable_on_random_and_extreme_inputs(CellType cell, int bits)
    {
        // Odd sizes exercise the padding and the row remainder; wide rows exercise accumulation range.
        foreach (var (inputs, hidden) in new[] { (1, 1), (5, 13), (37, 70) })
        {
            var image = TestModels.Make(cell, bits, inputs, hidden, layers: 2, outputs: 3, seed: hidden, rows: 20).Quantized.Parse();
            var portable = new Predictor(image);
            var avx = new Predictor(image, AcceleratedKernel.Instance);
            var widening = new Predictor(image, AcceleratedKernel.Widening);
            var avx2 = new Predictor(image, AcceleratedKernel.Avx2Only);
            var rng = new Random(hidden);
            var input = new int[image.InputCount];
            int[] a = new int[image.OutputCount], b = new int[image.OutputCount], c = new int[image.OutputCount], d = new int[image.OutputCount];
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
                Assert.Equal(a, b);
                Assert.Equal(a, c);
                Assert.Equal(a, d);
            }
        }
    }

    [Fact]
    public void Matrix_products_are_exact_at_the_extremes_of_the_weight_and_input_range()
    {
        foreach (int bits in new[] { 8, 16 })
        {
            int rows = 7, cols = ModelFormat.MaxWidth;
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
}
