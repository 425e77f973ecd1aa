using System.CommandLine;
using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Cli.Commands;

/// <summary>`inspect`: a model file's structure, sizes and scales; checks its CRC and golden vectors.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<FileInfo>("model") { Description = "model.bin to inspect" };
        var command = new Command("inspect", "Print a binary model's structure and check its CRC and golden vectors");
        command.Arguments.Add(path);
        command.SetAction(parseResult =>
        {
            var file = parseResult.GetValue(path)!;
            byte[] bytes;
            try { bytes = File.ReadAllBytes(file.FullName); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"inspect: cannot read {file.FullName}: {e.Message}");
                return 1;
            }
            ModelImage model;
            try { model = ModelImage.Parse(bytes); }
            catch (ModelFormatException e)
            {
                Console.Error.WriteLine($"inspect: {file.FullName}: invalid model: {e.Message}");
                return 1;
            }
            Print(file.FullName, model);
            int portable = Predictor.CountGoldenMismatches(model);
            int accelerated = AcceleratedPredictor.CountGoldenMismatches(model);
            Console.WriteLine($"golden vectors: {model.GoldenVectorCount} steps; mismatches portable {portable}, accelerated ({AcceleratedKernel.Implementation}) {accelerated}");
            if (portable != 0 || accelerated != 0)
            {
                Console.Error.WriteLine("inspect: golden vectors do not reproduce");
                return 1;
            }
            Console.WriteLine("OK");
            return 0;
        });
        return command;
    }

    private static void Print(string path, ModelImage m)
    {
        int weightBytes = m.WeightBits / 8;
        Console.WriteLine($"{path}: {m.Length} bytes, format v{ModelFormat.Version}, CRC-32 {m.Crc:x8} (verified)");
        Console.WriteLine($"  cell {m.Cell}, task {m.Task}, {m.LayerCount} layer(s) x {m.HiddenSize} hidden, int{m.WeightBits} weights");
        Console.WriteLine($"  inputs {m.InputCount} (Q{m.InputFracBits}), first-layer width {m.FirstLayerWidth} (normalised Q{m.NormalisedFracBits}), outputs {m.OutputCount} (Q{m.OutputFracBits})");
        if (m.SamplePeriodMs > 0) Console.WriteLine($"  sample period {m.SamplePeriodMs} ms");
        if (m.ForecastsChange)
        {
            var changes = Enumerable.Range(0, m.OutputCount).Where(k => m.ChangeOutputs[k]).ToArray();
            Console.WriteLine($"  forecast: outputs [{string.Join(", ", changes)}] are changes added to the same inputs; the others values");
        }
        if (m.Vocabulary.Length > 0) Console.WriteLine($"  vocabulary ({m.Vocabulary.Length}): \"{new string(m.Vocabulary).Replace("\n", "\\n")}\"");
        for (int i = 0; i < m.InputMeans.Length; i++)
        {
            double scale = m.InputMultipliers[i] / Math.Pow(2, m.InputShifts[i]) * Math.Pow(2, m.InputFracBits - m.NormalisedFracBits);
            Console.WriteLine($"  input {i}: mean {m.InputMeans[i] / Math.Pow(2, m.InputFracBits):G6}, std {(scale > 0 ? 1 / scale : double.PositiveInfinity):G6}");
        }
        for (int k = 0; k < m.LayerCount; k++)
        {
            var layer = m.Layers[k];
            Matrix($"layer {k} W_ih", layer.Input, weightBytes);
            Matrix($"layer {k} W_hh", layer.Recurrent, weightBytes);
            Console.WriteLine($"  layer {k} biases: {layer.InputBias.Length} + {layer.RecurrentBias.Length} x int32 (Q12)");
        }
        Matrix("head", m.Head, weightBytes);
        Console.WriteLine($"  detector section: {m.DetectorSection.Length} bytes");
        if (m.DetectorSection.Length > 0) DescribeDetector(m.DetectorSection);
        Console.WriteLine($"  golden vectors: {m.GoldenVectorCount} steps, {m.GoldenVectorCount * (m.InputCount + m.OutputCount) * 4} bytes");
    }

    /// <summary>The detector's settings as a user tunes them (docs/DETECTION.md).</summary>
    private static void DescribeDetector(byte[] section)
    {
        Embedded.Shared.Detection.DetectorParameters p;
        try { p = Embedded.Shared.Detection.DetectorParameters.Parse(section); }
        catch (ModelFormatException e) { Console.WriteLine($"  detector: invalid ({e.Message})"); return; }
        double one = Embedded.Shared.Detection.AnomalyDetector.ScoreOne;
        Console.WriteLine($"  detector v{section[4]}: {p.Channels} channel(s), threshold {p.Threshold / one:0.####} ({p.Threshold / one * p.ScoreDecades:0.##} decades: sensitivity {(p.Threshold - p.PerTrackerRaise()) / one * p.ScoreDecades:0.##} + log10 of {p.ErrorTrackers()} error trackers), " +
            $"warm-up {p.WarmupSamples}, hold-off {p.HoldOffSamples}, learning ramp {p.ConfidenceSamples}, averaging window {p.AverageWindow}, memory 2^{p.StatisticsShift}, " +
            (p.LearningClip == 0 ? "learning unclipped" : $"learning clipped at {p.LearningClip / (double)(1 << Embedded.Shared.Detection.DetectorParameters.LearningClipFracBits):0.##} spreads"));
        Console.WriteLine($"  detector state: " + (p.StateHoldSamples == 0 ? "none (is_anomaly = alarm)" : $"ends after {p.StateHoldSamples} samples below {p.StateExit / one:0.####}") +
            $"; signed-error tracker {(p.SignedErrors ? "on" : "off")}; season {(p.SeasonPeriod == 0 ? "none" : p.SeasonPeriod + " samples")}; range check {(p.SpatialTolerance == 0 ? "off" : $"{p.SpatialTolerance / 65536.0:P0} of the range")}; " +
            $"frozen reading {(p.HasFrozenRun ? "after " + string.Join(", ", p.FrozenRun.Select(r => r == 0 ? "off" : r.ToString())) + " repeats" : "off")}");
    }

    private static void Matrix(string name, QuantizedMatrix q, int weightBytes)
    {
        double min = double.PositiveInfinity, max = 0;
        for (int r = 0; r < q.Rows; r++)
        {
            double s = q.Multipliers[r] / Math.Pow(2, q.Shifts[r]);
            if (s > 0) min = Math.Min(min, s);
            max = Math.Max(max, s);
        }
        int bytes = q.Rows * (ModelFormat.ScaleSize + q.Cols * weightBytes);
        Console.WriteLine($"  {name}: {q.Rows} x {q.Cols}, {bytes} bytes, row scales {(double.IsInfinity(min) ? 0 : min):G4} .. {max:G4}");
    }
}
