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
