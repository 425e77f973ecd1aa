using System.Globalization;
using Embedded.Csv;
using Embedded.Evaluation.Data;

namespace Embedded.Evaluation.Corpus;

/// <summary>
/// A labelled corpus of anomalies nobody tuned on: copies of a clean recording, each with one episode of a known
/// kind (<see cref="InjectedKind"/>) written into one channel (or, for <see cref="InjectedKind.Joint"/>, into every
/// other channel) after the training rows, with SKAB-style label columns `anomaly` (1 during the episode) and
/// `changepoint` (1 at its first row and at the row after its last), so `detect` + `evaluate` (labelled mode)
/// score it. Sizes are in units of the channel's one-step spread u on the training rows (the standard deviation
/// of its first differences, at least 1 % of its range there): what a forecaster cannot predict from one sample
/// to the next, so the same recipe means the same difficulty on a quiet and on a noisy sensor.
/// <list type="bullet">
/// <item><b>spike</b>: one row, +/- 10 u;</item>
/// <item><b>level</b>: +/- 5 u for the episode;</item>
/// <item><b>drift</b>: a ramp from 0 to +/- 10 u over the episode, then back;</item>
/// <item><b>noise</b>: Gaussian noise of spread 4 u added (a loose mounting, a failing contact);</item>
/// <item><b>stuck</b>: the sensor repeats the value it read at the episode's start (a frozen reading);</item>
/// <item><b>joint</b>: +/- 2.5 u on every other channel at once (several sensors moving a little together).</item>
/// </list>
/// Everything is drawn from the seed: the channel, the sign, the episode's start (uniform over the rows from
/// the training rows + 10 % of the file to 50 rows before the end). Rows before the training rows are never
/// touched. Files are written as "{kind}/{source}_{k}.csv" (k = 1..FilesPerKind) with `,` and the source's
/// timestamps.
/// </summary>
public static class InjectedCorpus
{
    public static List<InjectedFile> Build(string sourcePath, string outDir, InjectionRecipe recipe)
    {
        var series = TimeSeriesCsv.Read(sourcePath);
        int n = series.RowCount, channels = series.ChannelCount;
        int train = recipe.TrainRows > 0 ? recipe.TrainRows : Math.Min(750, (int)(0.15 * n));
        int episode = recipe.EpisodeRows > 0 ? recipe.EpisodeRows : Math.Max(20, n / 40);
        int first = train + n / 10, last = n - 50 - episode;
        if (train < 2 || last <= first)
            throw new FormatException($"{sourcePath}: {n} rows are too few for {train} training rows and a {episode}-row episode after them (need about {train + n / 10 + episode + 50})");
        double[] unit = new double[channels];
        for (int c = 0; c < channels; c++) unit[c] = OneStepSpread(series, c, train);

        var random = new Random(recipe.Seed);
        var written = new List<InjectedFile>();
        string stem = Path.GetFileNameWithoutExtension(sourcePath);
        foreach (var kind in recipe.Kinds)
        {
            if (kind == InjectedKind.Joint && channels < 2) continue;
            for (int k = 1; k <= recipe.FilesPerKind; k++)
            {
                int length = kind == InjectedKind.Spike ? 1 : episode;
                int start = random.Next(first, last + 1);
                int channel = random.Next(channels);
                double sign = random.Next(2) == 0 ? -1 : 1;
                var values = series.Values.Select(row => (double[])row.Clone()).ToArray();
                double held = values[start][channel];
                for (int t = start; t < start + length; t++)
                {
                    double x = (t - start + 1) / (double)length;
                    switch (kind)
                    {
                        case InjectedKind.Spike: values[t][channel] += sign * 10 * recipe.Magnitude * unit[channel]; break;
                        case InjectedKind.Level: values[t][channel] += sign * 5 * recipe.Magnitude * unit[channel]; break;
                        case InjectedKind.Drift: values[t][channel] += sign * 10 * recipe.Magnitude * unit[channel] * x; break;
                        case InjectedKind.Noise: values[t][channel] += Gaussian(random) * 4 * recipe.Magnitude * unit[channel]; break;
                        case InjectedKind.Stuck: values[t][channel] = held; break;
                        case InjectedKind.Joint:
                            for (int c = channel % 2; c < channels; c += 2) values[t][c] += sign * 2.5 * recipe.Magnitude * unit[c];
                            break;
                    }
                }
                string name = $"{kind.ToString().ToLowerInvariant()}/{stem}_{k}.csv";
                Write(Path.Combine(outDir, name), series, values, start, length);
                written.Add(new InjectedFile(name, kind, kind == InjectedKind.Joint ? -1 : channel, start, length));
            }
        }
        return written;
    }

    /// <summary>Standard deviation of the channel's first differences over the training rows, at least 1 % of its range there (and above 0).</summary>
    public static double OneStepSpread(TimeSeries series, int channel, int rows)
    {
        double sum = 0, sumSquares = 0, low = double.PositiveInfinity, high = double.NegativeInfinity;
        int count = 0;
        for (int t = 0; t < Math.Min(rows, series.RowCount); t++)
        {
            double v = series.Values[t][channel];
            if (double.IsNaN(v)) continue;
            low = Math.Min(low, v);
            high = Math.Max(high, v);
            if (t == 0 || double.IsNaN(series.Values[t - 1][channel])) continue;
            double d = v - series.Values[t - 1][channel];
            sum += d;
            sumSquares += d * d;
            count++;
        }
        double spread = count > 1 ? Math.Sqrt(Math.Max(0, (sumSquares - sum * sum / count) / (count - 1))) : 0;
        double range = high > low ? high - low : 0;
        double floor = range > 0 ? 0.01 * range : 1e-3 * Math.Max(1, Math.Abs(high));
        return Math.Max(spread, floor);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void Write(string path, TimeSeries series, double[][] values, int start, int length)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        writer.WriteLine("timestamp," + string.Join(",", series.ChannelNames.Select(f => CsvFields.Quote(f))) + ",anomaly,changepoint");
        for (int t = 0; t < values.Length; t++)
        {
            bool inside = t >= start && t < start + length;
            bool change = t == start || t == start + length;
            writer.WriteLine(CsvFields.Quote(series.TimestampText[t]) + "," +
                string.Join(",", values[t].Select(v => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture))) +
                (inside ? ",1" : ",0") + (change ? ",1" : ",0"));
        }
    }

}
