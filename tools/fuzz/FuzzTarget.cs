using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;

namespace Embedded.Fuzz;

/// <summary>
/// What is fuzzed: the whole load -> validate -> step -> detect path. Parse an arbitrary byte string; a
/// rejected image must raise ModelFormatException and nothing else; an accepted one must run (golden
/// self-test on both kernels, steps with extreme inputs) without any exception; then the per-sample
/// protocol (StreamMonitor with the model's detector) is built, which may refuse the model only with
/// ModelFormatException (a bad detector section) or ArgumentException (shapes that do not fit), and once
/// built must take a hostile stream (extremes, missing values) without any exception. Anything else
/// escapes and is a finding.
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
        RunMonitor(model);
        return true;
    }

    /// <summary>Accepted images whose monitor ran a hostile stream, and those refused at load (for coverage reports).</summary>
    public static int MonitorsRun;
    public static int MonitorsRefused;

    /// <summary>
    /// The device's per-sample loop on a hostile stream, 64 samples drawn (seeded by the image's CRC, so a
    /// finding replays) from extremes, zeros, missing values, values near the calibrated range and random ints.
    /// </summary>
    private static void RunMonitor(ModelImage model)
    {
        StreamMonitor monitor;
        try
        {
            monitor = new StreamMonitor(model);
        }
        catch (Exception e) when (e is ModelFormatException or ArgumentException)
        {
            Interlocked.Increment(ref MonitorsRefused);
            return; // refused at load, as the Pi app and the firmware do
        }
        var sample = new int[model.InputCount];
        int[] special = [int.MaxValue, int.MinValue + 1, StreamMonitor.Missing, 0, -1, 1, 1 << 20, -(1 << 20)];
        var random = new Random(unchecked((int)model.Crc));
        for (int t = 0; t < 64; t++)
        {
            for (int i = 0; i < sample.Length; i++)
            {
                sample[i] = random.Next(4) switch
                {
                    0 => special[random.Next(special.Length)],
                    1 => random.Next(int.MinValue, int.MaxValue),
                    _ => random.Next(-(1 << 16), 1 << 16) << random.Next(12),
                };
            }
            int score = monitor.Step(sample);
            if (score < 0 || score > Embedded.Shared.Detection.AnomalyDetector.ScoreOne)
                throw new InvalidOperationException($"score {score} outside [0, ScoreOne]");
        }
        Interlocked.Increment(ref MonitorsRun);
    }
}
