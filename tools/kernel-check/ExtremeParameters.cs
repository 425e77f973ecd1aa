using Embedded.Shared.Model;

namespace Embedded.KernelCheck;

/// <summary>
/// Layer parameters at the format's limits (rows of +-max weights, full-scale multipliers, extreme biases),
/// for the kernel equality checks: the runtime tests on x64 and this runner on arm64 draw from the same place.
/// </summary>
public static class ExtremeParameters
{
    public static QuantizedMatrix Matrix(Random rng, int rows, int cols, int bits, Func<Random, int, int> shift)
    {
        int max = bits == 8 ? 127 : 32767;
        var w8 = bits == 8 ? new sbyte[rows * cols] : null;
        var w16 = bits == 16 ? new short[rows * cols] : null;
        for (int i = 0; i < rows * cols; i++)
        {
            // Whole rows at +max or -max, the rest uniform.
            int v = (i / cols % 5) switch { 0 => max, 1 => -max, _ => rng.Next(-max, max + 1) };
            if (w8 != null) w8[i] = (sbyte)v; else w16![i] = (short)v;
        }
        var multipliers = Enumerable.Range(0, rows).Select(r => r % 7 == 0 ? 32767 : rng.Next(0, 32768)).ToArray();
        var shifts = Enumerable.Range(0, rows).Select(r => shift(rng, r)).ToArray();
        return new QuantizedMatrix(rows, cols, w8, w16, multipliers, shifts);
    }

    public static int[] Bias(Random rng, int rows) =>
        Enumerable.Range(0, rows).Select(r => (r % 3) switch { 0 => ModelFormat.MaxBias, 1 => -ModelFormat.MaxBias, _ => rng.Next(-ModelFormat.MaxBias, ModelFormat.MaxBias + 1) }).ToArray();
}
