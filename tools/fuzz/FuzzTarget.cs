using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Fuzz;

/// <summary>
/// What is fuzzed: parse an arbitrary byte string; a rejected image must raise ModelFormatException and
/// nothing else; an accepted one must run (golden self-test on both kernels, steps with extreme inputs)
/// without any exception. Anything else escapes and is a finding.
/// </summary>
public static class FuzzTarget
{
    /// <summary>Returns true when the image was accepted.</summary>
    public static bool Run(byte[] bytes)
    {
        ModelImage model;
        try
        {
            model = ModelImage.Parse(bytes);
        }
        catch (ModelFormatException)
        {
            return false;
        }
        Predictor.CountGoldenMismatches(model);
        AcceleratedPredictor.CountGoldenMismatches(model);
        var predictor = new Predictor(model);
        var input = new int[model.InputCount];
        var output = new int[model.OutputCount];
        int[] extremes = [int.MaxValue, int.MinValue, 0, -1, 1];
        for (int t = 0; t < extremes.Length; t++)
        {
            for (int i = 0; i < input.Length; i++) input[i] = extremes[(t + i) % extremes.Length];
            predictor.Step(input, output);
        }
        return true;
    }
}
