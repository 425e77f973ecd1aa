using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Runtime.Tests;

/// <summary>
/// The kernel normaliser hook (<see cref="INormaliserKernel"/>) and the AVX-512 and AVX2 normalisers behind it:
/// bit-exact with the portable <see cref="InputNormaliser"/> and with a 128-bit reference of the formula,
/// for every shift the format allows, the multiplier and mean extremes and int32-extreme inputs, at
/// feature counts with and without a partial last vector.
/// </summary>
public class InputNormaliserKernelTests
{
    private static readonly int[] Counts = [1, 3, 7, 8, 9, 16, 21];
    private static readonly Dictionary<int, Embedded.Trainer.Quantization.QuantizedModel> Images = new();

    [Fact]
    public void Predictor_takes_the_kernels_normaliser_and_falls_back_to_the_portable_one()
    {
        var image = Image(3);
        Assert.IsType<InputNormaliser>(new Predictor(image).Normaliser);
        Assert.IsType(Avx512InputNormaliser.Supported ? typeof(Avx512InputNormaliser) : Avx2InputNormaliser.Supported ? typeof(Avx2InputNormaliser) : typeof(InputNormaliser),
            new Predictor(image, AcceleratedKernel.Instance).Normaliser);
        // The AVX2-only kernel takes the AVX2 normaliser; the System.Numerics and 128-bit kernels keep the portable one.
        Assert.IsType(Avx2InputNormaliser.Supported ? typeof(Avx2InputNormaliser) : typeof(InputNormaliser), new Predictor(image, AcceleratedKernel.Avx2Only).Normaliser);
        Assert.IsType<InputNormaliser>(new Predictor(image, AcceleratedKernel.Widening).Normaliser);
        Assert.IsType<InputNormaliser>(new Predictor(image, AcceleratedKernel.Vector128Fused).Normaliser);
        // A kernel that answers null also gets the portable one.
        Assert.IsType<InputNormaliser>(new Predictor(image, new DecliningKernel()).Normaliser);
    }

    public static TheoryData<string> Vectors() => new() { "avx512", "avx2" };

    private static void SkipUnlessSupported(string which) =>
        Skip.IfNot(which == "avx512" ? Avx512InputNormaliser.Supported : Avx2InputNormaliser.Supported, "needs " + which);

    private static IInputNormaliser Vector(string which, ModelImage image) =>
        which == "avx512" ? new Avx512InputNormaliser(image) : new Avx2InputNormaliser(image);

    [SkippableTheory]
    [MemberData(nameof(Vectors))]
    public void Every_shift_with_extreme_multipliers_means_and_inputs_equals_the_portable_normaliser(string which)
    {
        SkipUnlessSupported(which);
        int[] multipliers = [0, 1, 2, 3, 255, 12345, 16384, ModelFormat.MaxMultiplier - 1, ModelFormat.MaxMultiplier];
        int[] means = [int.MinValue, int.MinValue + 1, -65536, -1, 0, 1, 65536, int.MaxValue - 1, int.MaxValue];
        int[] inputs = [int.MinValue, int.MinValue + 1, -32768, -1, 0, 1, 32767, int.MaxValue - 1, int.MaxValue];
        foreach (int count in Counts)
        {
            var image = Image(count);
            int f = 0;
            // Every (shift, multiplier, mean) combination once, feature by feature; each batch of features gets every input.
            for (int shift = 0; shift <= ModelFormat.MaxShift; shift++)
            {
                foreach (int multiplier in multipliers)
                {
                    foreach (int mean in means)
                    {
                        image.InputShifts[f] = shift;
                        image.InputMultipliers[f] = multiplier;
                        image.InputMeans[f] = mean;
                        if (++f == count)
                        {
                            CheckAllInputs(which, image, inputs);
                            f = 0;
                        }
                    }
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Vectors))]
    public void Random_parameters_and_inputs_equal_the_portable_normaliser(string which)
    {
        SkipUnlessSupported(which);
        var rng = new Random(5);
        foreach (int count in Counts)
        {
            var image = Image(count);
            for (int trial = 0; trial < 200; trial++)
            {
                for (int i = 0; i < count; i++)
                {
                    image.InputShifts[i] = rng.Next(ModelFormat.MaxShift + 1);
                    image.InputMultipliers[i] = rng.Next(ModelFormat.MaxMultiplier + 1);
                    image.InputMeans[i] = rng.Next(int.MinValue, int.MaxValue);
                }
                var portable = new InputNormaliser(image);
                var vector = Vector(which, image);
                var input = new int[count];
                for (int step = 0; step < 20; step++)
                {
                    for (int i = 0; i < count; i++) input[i] = rng.Next(4) == 0 ? rng.Next(-100000, 100000) : rng.Next(int.MinValue, int.MaxValue);
                    Check(image, portable, vector, input);
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Vectors))]
    public void Leaves_values_past_the_features_alone_and_rejects_short_arrays(string which)
    {
        SkipUnlessSupported(which);
        var image = Image(9);
        var vector = Vector(which, image);
        var output = new short[20];
        Array.Fill(output, (short)-7);
        vector.Apply(new int[20], output);
        for (int i = 9; i < output.Length; i++) Assert.Equal(-7, output[i]);
        Assert.Throws<ArgumentException>(() => vector.Apply(new int[8], new short[9]));
        Assert.Throws<ArgumentException>(() => vector.Apply(new int[9], new short[8]));
    }

    /// <summary>Each feature takes each of <paramref name="inputs"/> in turn (rotated, so every lane sees every value).</summary>
    private static void CheckAllInputs(string which, ModelImage image, int[] inputs)
    {
        var portable = new InputNormaliser(image);
        var vector = Vector(which, image);
        int count = image.InputCount;
        var input = new int[count];
        for (int rotation = 0; rotation < inputs.Length; rotation++)
        {
            for (int i = 0; i < count; i++) input[i] = inputs[(i + rotation) % inputs.Length];
            Check(image, portable, vector, input);
        }
    }

    private static void Check(ModelImage image, InputNormaliser portable, IInputNormaliser vector, int[] input)
    {
        int count = input.Length;
        var expected = new short[count];
        var actual = new short[count];
        portable.Apply(input, expected);
        vector.Apply(input, actual);
        for (int i = 0; i < count; i++)
        {
            short reference = Reference(input[i], image.InputMeans[i], image.InputMultipliers[i], image.InputShifts[i]);
            string what = $"feature {i} of {count}: x={input[i]} mean={image.InputMeans[i]} m={image.InputMultipliers[i]} shift={image.InputShifts[i]}";
            Assert.True(reference == expected[i], $"portable {expected[i]} != reference {reference}, {what}");
            Assert.True(reference == actual[i], $"{vector.GetType().Name} {actual[i]} != reference {reference}, {what}");
        }
    }

    /// <summary>The documented formula in 128-bit arithmetic: round((x − mean)·m / 2^shift), saturated to int16.</summary>
    private static short Reference(int x, int mean, int multiplier, int shift)
    {
        Int128 rounding = shift > 0 ? Int128.One << (shift - 1) : Int128.Zero;
        Int128 value = (((Int128)x - mean) * multiplier + rounding) >> shift;
        return (short)Int128.Clamp(value, short.MinValue, short.MaxValue);
    }

    /// <summary>A parsed image with <paramref name="count"/> inputs; its normalisation arrays are overwritten per test case.</summary>
    private static ModelImage Image(int count)
    {
        lock (Images)
        {
            if (!Images.TryGetValue(count, out var quantized))
            {
                quantized = TestModels.Make(CellType.Rnn, 8, inputs: count, hidden: 2, layers: 1, outputs: 1, seed: count, rows: 20).Quantized;
                Images[count] = quantized;
            }
            // Parsed afresh, so the tests' overwrites stay out of each other's way.
            return quantized.Parse();
        }
    }

    /// <summary>A kernel with the hook that declines it.</summary>
    private sealed class DecliningKernel : IKernel, INormaliserKernel
    {
        public IMatVec Create(QuantizedMatrix matrix) => PortableKernel.Instance.Create(matrix);

        public IInputNormaliser? CreateNormaliser(ModelImage model) => null;
    }
}
