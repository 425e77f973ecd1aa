using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Runtime.Tests;

/// <summary>
/// Forecasting models that actually forecast, made without the trainer: random recurrent layers (a
/// reservoir) whose dense head is fitted by ridge regression on the hidden states. Good enough to
/// reach the noise floor of a noisy sine, which is what the accuracy tests need.
/// </summary>
internal static class ForecastFits
{
    /// <summary>sin(2 pi t / period) + gaussian noise.</summary>
    public static double[] NoisySine(int count, double noise, int seed, double period = 40)
    {
        var rng = new Random(seed);
        var values = new double[count];
        for (int t = 0; t < count; t++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            values[t] = Math.Sin(2 * Math.PI * t / period) + noise * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return values;
    }

    /// <summary>A one-feature forecaster of series[t + 1] from series[..t], head fitted on the first <paramref name="fitRows"/> rows.</summary>
    public static FloatModel Fit(CellType cell, double[] series, int hidden, int seed, int fitRows, double inputScale = 1.0)
    {
        double mean = series.Take(fitRows).Average();
        double std = Math.Sqrt(series.Take(fitRows).Select(v => (v - mean) * (v - mean)).Average());
        var random = RandomFloatModel.Create(cell, 1, hidden, 1, 1, seed);
        // Scale the input weights: a reservoir that is driven harder remembers the recent past better.
        foreach (var name in new[] { FloatModel.RnnName("weight_ih", 0) })
        {
            var t = random[name];
            for (int i = 0; i < t.Data.Length; i++) t.Data[i] *= inputScale;
        }
        var model = new FloatModel
        {
            Cell = cell,
            Task = TaskKind.Forecast,
            InputSize = 1,
            HiddenSize = hidden,
            Layers = 1,
            OutputSize = 1,
            Parameters = random.Parameters,
            InputMean = [mean],
            InputStd = [std],
            TargetMean = [mean],
            TargetStd = [std],
            FeatureColumns = ["value"],
            TargetColumns = ["value"],
            Horizon = 1,
        };

        // Hidden states over the fit rows, then ridge regression of the normalised next value.
        var reference = new FloatReference(model);
        int washout = 20, n = fitRows - 1 - washout, p = hidden + 1;
        var gram = new double[p, p];
        var rhs = new double[p];
        var features = new double[p];
        for (int t = 0; t < fitRows - 1; t++)
        {
            reference.Step([series[t]]);
            if (t < washout) continue;
            var h = reference.Hidden(0);
            for (int j = 0; j < hidden; j++) features[j] = h[j];
            features[hidden] = 1;
            double y = (series[t + 1] - mean) / std;
            for (int a = 0; a < p; a++)
            {
                rhs[a] += features[a] * y;
                for (int b = 0; b < p; b++) gram[a, b] += features[a] * features[b];
            }
        }
        for (int a = 0; a < p; a++) gram[a, a] += 1e-4 * n;
        var w = Solve(gram, rhs);
        for (int j = 0; j < hidden; j++) model["head.weight"].Data[j] = w[j];
        model["head.bias"].Data[0] = w[hidden];
        return model;
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            for (int c = 0; c < n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (int r = col + 1; r < n; r++)
            {
                double f = m[r, col] / m[col, col];
                for (int c = col; c < n; c++) m[r, c] -= f * m[col, c];
                x[r] -= f * x[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s = x[r];
            for (int c = r + 1; c < n; c++) s -= m[r, c] * x[c];
            x[r] = s / m[r, r];
        }
        return x;
    }
}
