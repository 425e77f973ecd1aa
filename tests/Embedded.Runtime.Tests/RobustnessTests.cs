using Embedded.Accelerated;
using Embedded.Fuzz;
using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Runtime.Tests;

/// <summary>
/// Thousands of damaged model files (tools/fuzz ModelMutator): bit flips, truncations, extensions, splices,
/// field edits, mostly with the CRC repaired so that they reach the field checks. Parse either succeeds or throws ModelFormatException;
/// a parsed image always runs; allocation stays proportional to the file size.
/// </summary>
public class RobustnessTests
{
    private static readonly byte[][] Seeds =
    [
        TestModels.Make(CellType.Lstm, 8, inputs: 2, hidden: 6, layers: 2, outputs: 2).Quantized.Image,
        TestModels.Make(CellType.Gru, 16, inputs: 3, hidden: 5, layers: 1, outputs: 1).Quantized.Image,
        TestModels.Make(CellType.Rnn, 16, inputs: 10, hidden: 4, layers: 1, outputs: 10, task: TaskKind.NextSymbol).Quantized.Image,
    ];

    [Fact]
    public void Mutated_and_truncated_files_raise_only_ModelFormatException()
    {
        var rng = new Random(1234);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < 6000; i++)
        {
            byte[] image = ModelMutator.Mutate(Seeds[i % Seeds.Length], Seeds[rng.Next(Seeds.Length)], rng);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var model = ModelImage.Parse(image);
                parsed++;
                RunBriefly(model);
            }
            catch (ModelFormatException e)
            {
                rejected++;
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.InRange(e.Offset, 0, Math.Max(0, image.Length));
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64L * image.Length + 256 * 1024, $"case {i}: {allocated} bytes allocated for a {image.Length}-byte file");
        }
        Assert.True(rejected > 3000, $"only {rejected} rejected");
        Assert.True(parsed > 100, $"only {parsed} parsed (mutations of weights with a repaired CRC should parse)");
    }

    [Fact]
    public void Fuzz_harness_seed_corpus_survives_mutation()
    {
        // The same target and mutator the embedded-fuzz tool runs, over its seed corpus (every cell, width, task).
        var seeds = Embedded.Fuzz.Seeds.Create();
        var rng = new Random(77);
        int run = FuzzTarget.MonitorsRun, refused = FuzzTarget.MonitorsRefused;
        for (int i = 0; i < 3000; i++)
        {
            FuzzTarget.Run(ModelMutator.Mutate(seeds[rng.Next(seeds.Length)], seeds[rng.Next(seeds.Length)], rng));
        }
        foreach (var seed in seeds) Assert.True(FuzzTarget.Run(seed));
        // The whole load -> validate -> step -> detect path was reached: monitors ran hostile streams, and
        // mutated detector sections or shapes were refused at load (never while stepping).
        Assert.True(FuzzTarget.MonitorsRun - run > 200, $"{FuzzTarget.MonitorsRun - run} monitors ran");
        Assert.True(FuzzTarget.MonitorsRefused - refused > 10, $"{FuzzTarget.MonitorsRefused - refused} monitors refused at load");
    }

    [Fact]
    public void Every_prefix_of_a_model_is_rejected()
    {
        byte[] seed = Seeds[0];
        for (int length = 0; length < seed.Length; length++)
        {
            Assert.Throws<ModelFormatException>(() => ModelImage.Parse(seed.AsSpan(0, length).ToArray()));
        }
    }

    [Fact]
    public void Random_bytes_are_rejected()
    {
        var rng = new Random(99);
        for (int i = 0; i < 2000; i++)
        {
            var bytes = new byte[rng.Next(0, 400)];
            rng.NextBytes(bytes);
            if (bytes.Length >= 4 && rng.Next(2) == 0) BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), ModelFormat.Magic);
            Assert.Throws<ModelFormatException>(() => ModelImage.Parse(bytes));
        }
    }

    private static void RunBriefly(ModelImage model)
    {
        Predictor.CountGoldenMismatches(model);
        AcceleratedPredictor.CountGoldenMismatches(model);
        var predictor = new Predictor(model);
        var input = new int[model.InputCount];
        var output = new int[model.OutputCount];
        for (int t = 0; t < 3; t++)
        {
            input[0] = t == 0 ? int.MaxValue : int.MinValue;
            predictor.Step(input, output);
        }
    }
}
