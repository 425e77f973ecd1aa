using System.Diagnostics;
using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Cli.Benchmarking;

/// <summary>What one kernel measured: ns per step over each round, per-step latency percentiles, bytes allocated.</summary>
public sealed record StepTiming(string Kernel, double[] RoundNsPerStep, int BatchSteps, double P50, double P99, double P999, double Max, double AllocatedBytesPerStep)
{
    /// <summary>The median round: the figure to quote (rounds differ by what else the machine did).</summary>
    public double MedianNsPerStep
    {
        get
        {
            double[] sorted = (double[])RoundNsPerStep.Clone();
            Array.Sort(sorted);
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
    }
}

/// <summary>
/// Streaming-step timing of one model on several kernels, in one process and interleaved: each round runs
/// every kernel once, in an order that alternates, so slow spells of a shared machine fall on all of them
/// and their ratio holds even when the absolute figures drift. Inputs are the model's golden inputs,
/// cycled (real rows the quantizer calibrated on); a model without golden vectors gets zeros. Latency is
/// timed over batches of steps long enough for the clock (about 1 µs), so a percentile is the mean step
/// of a batch at that rank, not of one step.
/// </summary>
public sealed class StepBenchmark
{
    private const double MinBatchNs = 1000;
    private readonly ModelImage _model;
    private readonly int[][] _rows;
    private readonly int[] _output;

    public StepBenchmark(ModelImage model)
    {
        _model = model;
        int count = Math.Max(1, model.GoldenVectorCount);
        _rows = new int[count][];
        for (int t = 0; t < count; t++)
        {
            _rows[t] = new int[model.InputCount];
            if (model.GoldenVectorCount > 0) Array.Copy(model.GoldenInputs, t * model.InputCount, _rows[t], 0, model.InputCount);
        }
        _output = new int[model.OutputCount];
    }

    /// <summary>Whether the inputs are the model's golden inputs (else zeros).</summary>
    public bool UsesGoldenInputs => _model.GoldenVectorCount > 0;

    /// <summary>Times each predictor over <paramref name="rounds"/> rounds of <paramref name="steps"/> steps, after a warm-up of each.</summary>
    public StepTiming[] Run(IReadOnlyList<(string Name, Predictor Predictor)> kernels, int steps, int rounds)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), "steps must be at least 1");
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), "rounds must be at least 1");
        int n = kernels.Count;
        var batch = new int[n];
        for (int k = 0; k < n; k++)
        {
            // Long enough for tiered compilation to reach its optimised code (it recompiles hot methods in the background).
            double ns = WarmUp(kernels[k].Predictor, TimeSpan.FromMilliseconds(300));
            batch[k] = Math.Max(1, (int)Math.Ceiling(MinBatchNs / Math.Max(ns, 1)));
        }
        var roundNs = new double[n][];
        var batches = new double[n][];
        var filled = new int[n];
        var allocated = new long[n];
        for (int k = 0; k < n; k++)
        {
            roundNs[k] = new double[rounds];
            batches[k] = new double[rounds * (steps / batch[k] + 1)];
        }
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < n; i++)
            {
                int k = r % 2 == 0 ? i : n - 1 - i;
                long before = GC.GetAllocatedBytesForCurrentThread();
                roundNs[k][r] = Round(kernels[k].Predictor, steps, batch[k], batches[k], ref filled[k]);
                allocated[k] += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        var result = new StepTiming[n];
        for (int k = 0; k < n; k++)
        {
            double[] b = batches[k][..filled[k]];
            Array.Sort(b);
            result[k] = new StepTiming(kernels[k].Name, roundNs[k], batch[k], Percentile(b, 0.50), Percentile(b, 0.99), Percentile(b, 0.999), b[^1],
                (double)allocated[k] / ((long)steps * rounds));
        }
        return result;
    }

    private double WarmUp(Predictor predictor, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long steps = 0;
        int t = 0;
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 256; i++)
            {
                predictor.Step(_rows[t], _output);
                if (++t == _rows.Length) t = 0;
            }
            steps += 256;
        }
        return clock.Elapsed.TotalNanoseconds / steps;
    }

    /// <summary>One round: every batch's mean ns per step into <paramref name="batches"/>; returns the round's mean ns per step.</summary>
    private double Round(Predictor predictor, int steps, int batch, double[] batches, ref int filled)
    {
        predictor.Reset();
        int[][] rows = _rows;
        int[] output = _output;
        int t = 0, done = 0;
        double tick = 1e9 / Stopwatch.Frequency;
        long start = Stopwatch.GetTimestamp();
        while (done < steps)
        {
            int count = Math.Min(batch, steps - done);
            long b0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                predictor.Step(rows[t], output);
                if (++t == rows.Length) t = 0;
            }
            batches[filled++] = (Stopwatch.GetTimestamp() - b0) * tick / count;
            done += count;
        }
        return (Stopwatch.GetTimestamp() - start) * tick / steps;
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(q * sorted.Length))];
}
