using Embedded.Shared.Fixed;

namespace Embedded.Runtime.Tests;

public class ActivationTests
{
    [Fact]
    public void Tanh_is_within_two_lsb_of_the_real_function_everywhere()
    {
        int previous = int.MinValue;
        for (int x = -40000; x <= 40000; x++)
        {
            int y = Activation.Tanh(x);
            double expected = Math.Tanh(x / 4096.0) * 32768;
            Assert.True(Math.Abs(y - Math.Min(32767, expected)) <= 2, $"tanh({x}) = {y}, expected {expected}");
            Assert.True(y >= previous, "tanh must be monotonic");
            Assert.Equal(-y, Activation.Tanh(-x));
            previous = y;
        }
    }

    [Fact]
    public void Sigmoid_is_within_two_lsb_of_the_real_function_everywhere()
    {
        int previous = int.MinValue;
        for (int x = -80000; x <= 80000; x++)
        {
            int y = Activation.Sigmoid(x);
            double expected = 32768 / (1 + Math.Exp(-x / 4096.0));
            Assert.True(Math.Abs(y - Math.Min(32767, expected)) <= 2, $"sigmoid({x}) = {y}, expected {expected}");
            Assert.True(y >= previous, "sigmoid must be monotonic");
            previous = y;
        }
    }

    [Fact]
    public void Extreme_arguments_saturate()
    {
        Assert.Equal(32767, Activation.Tanh(int.MaxValue));
        Assert.Equal(-32767, Activation.Tanh(int.MinValue));
        Assert.Equal(32767, Activation.Sigmoid(int.MaxValue));
        Assert.Equal(0, Activation.Sigmoid(int.MinValue));
        Assert.Equal(0, Activation.Tanh(0));
        Assert.Equal(16384, Activation.Sigmoid(0));
    }

    /// <summary>The branching lookup the runtime used before it went branch-free; every model's golden vectors depend on its bits.</summary>
    private static readonly short[] Table =
        (short[])typeof(Activation).GetField("TanhTable", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;

    private static int BranchingLookup(int x, int stepBits)
    {
        var table = Table;
        bool negative = x < 0;
        if (negative) x = x <= -0x40000000 ? 0x40000000 : -x;
        int index = x >> stepBits;
        int y = 32767;
        if (index < 512)
        {
            int a = table[index];
            int frac = x & ((1 << stepBits) - 1);
            y = a + (((table[index + 1] - a) * frac + (1 << (stepBits - 1))) >> stepBits);
        }
        return negative ? -y : y;
    }

    [Fact]
    public void Branch_free_lookup_gives_the_bits_of_the_branching_one()
    {
        // Exhaustive over the table's range and well past it (|x| < 2^17 covers both step sizes to
        // saturation), then the int32 extremes and a random sample of the rest. (All 2^32 inputs were
        // compared once by a scratch program: no difference.)
        var rng = new Random(3);
        IEnumerable<int> inputs = Enumerable.Range(-(1 << 17), 1 << 18)
            .Concat([int.MinValue, int.MinValue + 1, -0x40000000 - 1, -0x40000000, -0x3FFFFFFF, 0x3FFFFFFF, 0x40000000, int.MaxValue])
            .Concat(Enumerable.Range(0, 200_000).Select(_ => rng.Next(int.MinValue, int.MaxValue)));
        foreach (int x in inputs)
        {
            Assert.Equal(BranchingLookup(x, 6), Activation.Tanh(x));
            Assert.Equal((32768 + BranchingLookup(x, 7)) >> 1, Activation.Sigmoid(x));
        }
    }

    [Fact]
    public void Long_helpers_saturate_without_Math_long_overloads()
    {
        Assert.Equal(long.MaxValue, Saturate.Abs(long.MinValue));
        Assert.Equal(5L, Saturate.Abs(-5L));
        Assert.Equal(int.MaxValue, Saturate.ToInt32(long.MaxValue));
        Assert.Equal(int.MinValue, Saturate.ToInt32(long.MinValue));
        Assert.Equal((short)-32768, Saturate.ToInt16(-100000));
        Assert.Equal(3L, Saturate.MultiplyShift(5, 5, 3)); // 25/8 = 3.125
    }
}
