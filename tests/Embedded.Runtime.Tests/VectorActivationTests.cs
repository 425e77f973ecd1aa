using System.Runtime.Intrinsics;
using Embedded.Accelerated;
using Embedded.Shared.Fixed;

namespace Embedded.Runtime.Tests;

/// <summary>The cross-platform vector activation lookups (128- and 256-bit) against the portable <see cref="Activation"/>, value by value.</summary>
public class VectorActivationTests
{
    public static IEnumerable<int> Values()
    {
        for (int x = -70000; x <= 70000; x += 3) yield return x;
        foreach (int x in new[] { int.MinValue, int.MinValue + 1, int.MaxValue, -65536, 65535, 65536, 32767, -32768, 32768, 32832, -32832, 1 << 28, -(1 << 28) }) yield return x;
    }

    [Fact]
    public void Tanh_and_sigmoid_equal_the_portable_activation_at_128_bits()
    {
        int[] x = Values().ToArray();
        for (int i = 0; i + 4 <= x.Length; i += 4)
        {
            var v = Vector128.Create(x.AsSpan(i, 4));
            var t = VectorActivation<Vector128<int>, Width128>.Tanh(v);
            var s = VectorActivation<Vector128<int>, Width128>.Sigmoid(v);
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(Activation.Tanh(x[i + k]), t[k]);
                Assert.Equal(Activation.Sigmoid(x[i + k]), s[k]);
            }
        }
    }

    [Fact]
    public void Tanh_and_sigmoid_equal_the_portable_activation_at_256_bits()
    {
        int[] x = Values().ToArray();
        for (int i = 0; i + 8 <= x.Length; i += 8)
        {
            var v = Vector256.Create(x.AsSpan(i, 8));
            var t = VectorActivation<Vector256<int>, Width256>.Tanh(v);
            var s = VectorActivation<Vector256<int>, Width256>.Sigmoid(v);
            for (int k = 0; k < 8; k++)
            {
                Assert.Equal(Activation.Tanh(x[i + k]), t[k]);
                Assert.Equal(Activation.Sigmoid(x[i + k]), s[k]);
            }
        }
    }
}
