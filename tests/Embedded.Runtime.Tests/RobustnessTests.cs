using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Runtime.Tests;

/// <summary>
/// Thousands of damaged model files: random bit flips, truncations, extensions, and field edits with the
/// CRC repaired (so they reach the field checks). Parse either succeeds or throws ModelFormatException;
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
            byte[] seed = Seeds[i % Seeds.Length];
            byte[] image = Mutate(seed, rng, out bool fixCrc);
            if (fixCrc) ModelFormatTests.FixCrc(image);
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

    internal static byte[] Mutate(byte[] seed, Random rng, out bool fixCrc)
    {
        fixCrc = rng.Next(3) != 0;
        byte[] image = (byte[])seed.Clone();
        switch (rng.Next(7))
        {
            case 0: // bit flips anywhere
                for (int n = rng.Next(1, 4); n > 0; n--) image[rng.Next(image.Length)] ^= (byte)(1 << rng.Next(8));
                break;
            case 1: // a header field set to a random or boundary value
            {
                int offset = rng.Next(ModelFormat.HeaderSize);
                image[offset] = (byte)(rng.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => 0x80, _ => rng.Next(256) });
                break;
            }
            case 2: // a count or length field set to something large or small
            {
                (int Offset, int Width)[] fields = [(8, 4), (16, 2), (18, 2), (20, 2), (26, 2), (28, 4), (32, 4), (36, 2)];
                var (offset, width) = fields[rng.Next(fields.Length)];
                int value = rng.Next(4) switch { 0 => 0, 1 => -1, 2 => int.MaxValue, _ => rng.Next(0, 70000) };
                BitConverter.GetBytes(value).AsSpan(0, width).CopyTo(image.AsSpan(offset, width));
                break;
            }
            case 3: // truncated
                image = image.AsSpan(0, rng.Next(image.Length)).ToArray();
                break;
            case 4: // extended with junk
            {
                var longer = new byte[image.Length + rng.Next(1, 64)];
                image.CopyTo(longer, 0);
                rng.NextBytes(longer.AsSpan(image.Length));
                image = longer;
                break;
            }
            case 5: // body bytes randomised (weights, scales, biases, golden values)
                for (int n = rng.Next(1, 8); n > 0; n--) image[rng.Next(ModelFormat.HeaderSize, image.Length)] = (byte)rng.Next(256);
                break;
            default: // declared length kept consistent with a truncated/extended body
            {
                int newLength = Math.Max(0, image.Length + rng.Next(-20, 20));
                var resized = new byte[newLength];
                Array.Copy(image, resized, Math.Min(image.Length, newLength));
                if (newLength >= 12) BitConverter.TryWriteBytes(resized.AsSpan(8, 4), newLength);
                image = resized;
                break;
            }
        }
        return image;
    }
}
