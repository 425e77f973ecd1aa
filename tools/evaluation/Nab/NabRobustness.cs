using Embedded.Evaluation.Data;
using Embedded.Evaluation.Detection;
using Embedded.Shared.Detection;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;
using Embedded.Trainer.Detection;
using Embedded.Trainer.Quantization;

namespace Embedded.Evaluation.Nab;

/// <summary>
/// Checks that the detector's defaults are general rather than fitted to the corpus: each file's
/// forecaster is trained once (exactly as `detect` does), then every detector variant is calibrated on the
/// same training rows and scores the whole stream through the portable runtime. For each category and each
/// file with windows, the variant that scores best *without* it is picked (threshold optimised on the rest
/// too) and the left-out part is scored with that choice. Defaults that keep winning when any part is left
/// out, and a held-out total close to the in-sample one, are not tuned to one file.
/// </summary>
public static class NabRobustness
{
    /// <summary>One file, trained and ready to be rescored by any detector variant.</summary>
    public sealed class PreparedFile
    {
        public required string Name { get; init; }
        public required TimeSeries Series { get; init; }
        public required ModelImage Model { get; init; }
        public required IReadOnlyList<AnomalyWindow> Windows { get; init; }
        /// <summary>The training rows' targets and the quantized forecasts for them (what the quantizer calibrates on).</summary>
        public required int[][] CalibrationActual { get; init; }
        public required int[][] CalibrationForecast { get; init; }
    }

    /// <summary>A named set of detector hyper-parameters.</summary>
    public sealed record Variant(string Name, DetectorCalibrationOptions Options);

    /// <summary>What a variant scored: the corpus under the standard profile and the files behind it.</summary>
    public sealed record VariantResult(Variant Variant, NabProfileResult Standard, IReadOnlyList<NabFile> Files);

    /// <summary>The pick made without one part of the corpus, and how the left-out part fares with it.</summary>
    public sealed record HeldOut(string LeftOut, Variant Pick, double RestScore, NabTally LeftOutTally);

    /// <summary>Trains every windows.json file under <paramref name="dataDir"/> once, with `detect`'s defaults.</summary>
    public static List<PreparedFile> Prepare(string dataDir, string windowsPath, Action<string>? progress = null) =>
        Prepare(dataDir, windowsPath, ForecastTrainingOptions.Default, progress);

    /// <summary>As <see cref="Prepare(string, string, Action{string}?)"/>, training each forecaster with <paramref name="training"/> (e.g. another seed).</summary>
    public static List<PreparedFile> Prepare(string dataDir, string windowsPath, ForecastTrainingOptions training, Action<string>? progress = null)
    {
        var prepared = new List<PreparedFile>();
        foreach (var (name, windows) in NabCorpus.ReadWindows(windowsPath))
        {
            string path = Path.Combine(dataDir, name);
            if (!File.Exists(path)) throw new FileNotFoundException($"{dataDir}: no data file for '{name}' (expected {path})", path);
            var series = TimeSeriesCsv.Read(path);
            var run = DetectPipeline.TrainAndScore(series, new DetectOptions { DataPath = path, Training = training });
            var times = new DateTime[series.RowCount];
            for (int i = 0; i < times.Length; i++)
                times[i] = series.Times[i] ?? throw new FormatException($"{path}: line {i + 2}: timestamp '{series.TimestampText[i]}' does not parse");
            var rows = new List<AnomalyWindow>();
            foreach (var (start, end) in windows)
                if (NabTimestamps.ToRows(times, start, end) is AnomalyWindow window) rows.Add(window);
            var (actual, forecast) = CalibrationPairs(DetectPipeline.FillGaps(series.Head(run.TrainRows)), run.Model);
            prepared.Add(new PreparedFile { Name = name, Series = series, Model = run.Model, Windows = rows, CalibrationActual = actual, CalibrationForecast = forecast });
            progress?.Invoke(name);
        }
        return prepared;
    }

    /// <summary>Every file scored by one variant: calibrated on its training rows, then the exact `detect` scoring path.</summary>
    public static VariantResult Score(IReadOnlyList<PreparedFile> files, Variant variant)
    {
        var scored = new List<NabFile>();
        foreach (var file in files)
        {
            var parameters = DetectorCalibration.CalibrateParameters(file.CalibrationActual, file.CalibrationForecast, file.Model.OutputFracBits, variant.Options)
                ?? throw new ArgumentException($"{file.Name}: no calibration rows");
            var stream = StreamScorer.Score(file.Series, file.Model, new AnomalyDetector(parameters));
            scored.Add(new NabFile(file.Name, stream.Scores, file.Windows));
        }
        return new VariantResult(variant, NabScorer.Score(scored, NabProfile.Standard), scored);
    }

    /// <summary>Leave each category, then each file with windows, out: pick the best variant on the rest, score the left-out part with it.</summary>
    public static List<HeldOut> LeaveOneOut(IReadOnlyList<VariantResult> results)
    {
        if (results.Count == 0) throw new ArgumentException("no variants to choose from");
        var parts = new List<(string Name, Func<NabFile, bool> IsLeftOut)>();
        foreach (var category in results[0].Files.Select(f => f.Category).Distinct())
            parts.Add((category, f => f.Category == category));
        foreach (var file in results[0].Files.Where(f => f.Windows.Count > 0))
            parts.Add((file.Name, f => f.Name == file.Name));
        var held = new List<HeldOut>();
        foreach (var (name, isLeftOut) in parts)
        {
            VariantResult? best = null;
            NabProfileResult? bestRest = null;
            foreach (var result in results)
            {
                var rest = NabScorer.Score(result.Files.Where(f => !isLeftOut(f)).ToList(), NabProfile.Standard);
                if (bestRest is null || rest.Total.Raw > bestRest.Total.Raw + 1e-12) { best = result; bestRest = rest; }
            }
            var leftOut = NabScorer.ScoreAt(best!.Files.Where(isLeftOut).ToList(), NabProfile.Standard, bestRest!.Threshold);
            held.Add(new HeldOut(name, best.Variant, bestRest.Total.Normalized ?? 0, leftOut.Total));
        }
        return held;
    }

    /// <summary>
    /// The default grid: the defaults, and each hyper-parameter moved on its own (spatial tolerance, hold-off
    /// length, margin and ratio, learning ramp, averaging window, memory, score decades, season threshold).
    /// </summary>
    public static List<Variant> DefaultGrid()
    {
        var d = DetectorCalibrationOptions.Default;
        var grid = new List<Variant> { new("defaults", d) };
        foreach (double t in new[] { 0.0, 0.05, 0.1 }) grid.Add(new($"spatial tolerance {t}", d with { SpatialTolerance = t }));
        foreach (int h in new[] { 200, 800, 1600 }) grid.Add(new($"hold-off {h}", d with { HoldOffSamples = h }));
        foreach (int r in new[] { 0, 1024, 4096 }) grid.Add(new($"learning ramp {r}", d with { ConfidenceSamples = r }));
        foreach (double r in new[] { 0.0, 0.25 }) grid.Add(new($"hold-off ratio {r}", d with { HoldOffRatio = r }));
        grid.Add(new("hold-off margin 0", d with { HoldOffMargin = 0 }));
        foreach (int w in new[] { 8, 32 }) grid.Add(new($"averaging window {w}", d with { AverageWindow = w }));
        foreach (int k in new[] { 9, 11, 13 }) grid.Add(new($"statistics shift {k}", d with { StatisticsShift = k }));
        foreach (int dec in new[] { 20, 30, 45 }) grid.Add(new($"score decades {dec}", d with { ScoreDecades = dec }));
        foreach (double s in new[] { 0.6, 0.95 }) grid.Add(new($"season correlation {s}", d with { SeasonCorrelation = s }));
        grid.Add(new("signed errors off", d with { SignedErrors = false }));
        foreach (double clip in new[] { 0.0, 2.0, 4.0 }) grid.Add(new($"learning clip {clip}", d with { LearningClip = clip }));
        foreach (int f in new[] { 0, 2, 8 }) grid.Add(new(f == 0 ? "learning ramp not capped" : $"learning ramp at most {f}x calibration rows", d with { ConfidencePerCalibrationRow = f }));
        return grid;
    }

    /// <summary>The quantized forecasts for the training rows and their targets (the next row), as the quantizer calibrates on them.</summary>
    public static (int[][] Actual, int[][] Forecast) CalibrationPairs(double[][] rows, ModelImage model)
    {
        var outputs = Quantizer.RunFixed(model, rows, model.InputFracBits);
        int pairs = Math.Max(0, rows.Length - 1);
        var actual = new int[pairs][];
        var forecast = new int[pairs][];
        for (int t = 0; t < pairs; t++)
        {
            forecast[t] = outputs[t];
            actual[t] = rows[t + 1].Select(v => FixedIo.ToFixed(v, model.OutputFracBits)).ToArray();
        }
        return (actual, forecast);
    }
}
