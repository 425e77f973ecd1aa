using System.Runtime.Intrinsics;
using Embedded.Accelerated;
using Embedded.Shared.Fixed;

namespace Embedded.Runtime.Tests;

/// <summary>
/// The AVX-512 activation lookups against the portable <see cref="Activation"/>, value by value, on both
/// of their paths: batches whose 32 indices all lie below 128 (first two table pairs only) and batches
/// with one lane past that (all six pairs).
/// </summary>
public class PermutedActivationTests
{
    [SkippableFact]
    public void Tanh_and_sigmoid_equal_the_portable_activation_on_both_lookup_paths()
    {
        Skip.IfNot(PermutedActivation.Supported, "needs AVX-512BW");
        // Small batches: consecutive values below 2 (tanh) or 4 (sigmoid) in magnitude, so every index is below 128.
        for (int start = -8192; start < 8192; start += 32) CheckBatch(i => start + i, tanh: true);
        for (int start = -16384; start < 16384; start += 32) CheckBatch(i => start + i, tanh: false);
        // Mixed batches: a small run with one large lane (the full six-pair path for every lane).
        for (int start = -8192; start < 8192; start += 31) CheckBatch(i => i == 7 ? 60000 : start + i, tanh: true);
        for (int start = -16384; start < 16384; start += 31) CheckBatch(i => i == 30 ? -50000 : start + i, tanh: false);
        // Wide sweep including the int32 extremes and the table end.
        var extremes = new[] { int.MinValue, int.MaxValue, -65536, 65535, 65536, -24576, 24576, 49152, -49152, 21888, 43776 };
        for (int start = -80000; start < 80000; start += 29 * 32) CheckBatch(i => i < extremes.Length ? extremes[i] : start + 29 * i, tanh: true);
        for (int start = -80000; start < 80000; start += 29 * 32) CheckBatch(i => i < extremes.Length ? extremes[i] : start + 29 * i, tanh: false);
    }

    private static void CheckBatch(Func<int, int> value, bool tanh)
    {
        var x = new int[32];
        for (int i = 0; i < 32; i++) x[i] = value(i);
        var x0 = Vector512.Create(x.AsSpan(0, 16));
        var x1 = Vector512.Create(x.AsSpan(16, 16));
        Vector512<int> y0, y1;
        if (tanh) PermutedActivation.Tanh(x0, x1, out y0, out y1);
        else PermutedActivation.Sigmoid(x0, x1, out y0, out y1);
        for (int i = 0; i < 32; i++)
        {
            int expected = tanh ? Activation.Tanh(x[i]) : Activation.Sigmoid(x[i]);
            int actual = i < 16 ? y0[i] : y1[i - 16];
            Assert.True(expected == actual, $"{(tanh ? "tanh" : "sigmoid")}({x[i]}): expected {expected}, got {actual}");
        }
    }
}
