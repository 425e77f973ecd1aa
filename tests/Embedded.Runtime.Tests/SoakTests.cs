using Embedded.Shared;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Runtime.Tests;

/// <summary>
/// 10 million steps of random and extreme inputs through small models of each cell: no exception, and
/// every output stays inside the bound the head allows (|y| &lt;= sum |w| * 1.0 * scale + |offset|).
/// </summary>
public class SoakTests
{
    [Fact]
    [Trait("Category", "Soak")]
    public void Ten_million_steps_of_random_and_extreme_inputs_stay_bounded()
    {
        const int totalSteps = 10_000_000;
        var cells = TestModels.Cells;
        int perModel = totalSteps / (cells.Length * 2) + 1;
        long steps = 0;
        foreach (var cell in cells)
        {
            foreach (int bits in new[] { 8, 16 })
            {
                var image = TestModels.Make(cell, bits, inputs: 2, hidden: 4, layers: cell == CellType.Lstm ? 2 : 1, outputs: 2, seed: bits).Quantized.Parse();
                var bound = OutputBounds(image);
                var predictor = new Predictor(image);
                var input = new int[2];
                var output = new int[2];
                uint state = 2463534242u;
                for (int t = 0; t < perModel; t++)
                {
                    // xorshift32: cheap enough that the runtime, not the generator, dominates.
                    state ^= state << 13; state ^= state >> 17; state ^= state << 5;
                    int mode = (int)(state >> 28);
                    input[0] = mode switch { 0 => int.MaxValue, 1 => int.MinValue, 2 => 0, 3 => (int)state, _ => (int)state >> 12 };
                    input[1] = mode switch { 0 => int.MinValue, 1 => int.MaxValue, 4 => (int)(state * 2654435761u), _ => (int)(state << 3) >> 14 };
                    predictor.Step(input, output);
                    if (output[0] < -bound[0] || output[0] > bound[0] || output[1] < -bound[1] || output[1] > bound[1])
                        Assert.Fail($"{cell} int{bits} step {t}: output ({output[0]}, {output[1]}) outside ({bound[0]}, {bound[1]})");
                    if ((t & 0xFFFFF) == 0) AssertStateInRange(predictor);
                    steps++;
                }
                AssertStateInRange(predictor);
            }
        }
        Assert.True(steps >= totalSteps);
    }

    private static void AssertStateInRange(Predictor predictor)
    {
        foreach (var layer in predictor.Layers)
        {
            foreach (short h in layer.State) Assert.InRange(h, -32767, 32767);
        }
    }

    /// <summary>Largest |output| the head can produce with |h| &lt;= 1.0 (plus rounding).</summary>
    private static long[] OutputBounds(ModelImage image)
    {
        var head = image.Head;
        var bounds = new long[head.Rows];
        for (int r = 0; r < head.Rows; r++)
        {
            long sum = 0;
            for (int c = 0; c < head.Cols; c++) sum += Math.Abs(head.Weights8 != null ? head.Weights8[r * head.Cols + c] : head.Weights16![r * head.Cols + c]) * 32768L;
            long scaled = (sum * head.Multipliers[r] >> head.Shifts[r]) + 1;
            bounds[r] = Math.Min(int.MaxValue, scaled + Math.Abs((long)image.HeadOffsets[r]));
        }
        return bounds;
    }
}
