using Embedded.Shared.Detection;
using Embedded.Trainer.Detection;

namespace Embedded.Detection.Tests;

/// <summary>
/// The detector against <see cref="ReferenceAnomalyDetector"/> (the detector before its interpreter speed-up,
/// kept verbatim): every output of every sample must be the same, for random parameters in the feature sets
/// of section versions 1 to 6 (1, 2, 3 and 5 channels, seasons, signed trackers, learning clip on and off,
/// windows that are and are not powers of two) and random streams with missing and extreme values.
/// </summary>
public class AnomalyDetectorEquivalenceTests
{
    private const int Samples = 3000;

    public static IEnumerable<object[]> Cases()
    {
        foreach (int version in new[] { 1, 2, 3, 4, 5, 6 })
        {
            foreach (int channels in new[] { 1, 3 })
            {
                for (int seed = 0; seed < 6; seed++) yield return [version, channels, seed];
            }
        }
        yield return [6, 2, 100];
        yield return [6, 5, 101];
        yield return [5, 5, 102];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheReferenceSampleBySample(int version, int channels, int seed)
    {
        var random = new Random(1000 * version + 100 * channels + seed);
        var p = RandomParameters(random, version, channels);
        var (actual, predicted) = RandomStream(random, channels, Samples, p);
        Compare(p, actual, predicted, random);
    }

    [Fact]
    public void MatchesTheReferenceWithTheDefaultsAndCalibratedParameters()
    {
        foreach (int channels in new[] { 1, 3 })
        {
            var random = new Random(77 + channels);
            var p = DetectorParameters.CreateDefault(channels, DetectorStreams.FracBits);
            var (actual, predicted) = RandomStream(random, channels, Samples, p);
            Compare(p, actual, predicted, random);
            // Calibrated on the stream's first rows (missing values filled with the forecast), as `detect` does.
            var calActual = new int[600][];
            var calPredicted = new int[600][];
            for (int t = 0; t < 600; t++)
            {
                calPredicted[t] = new int[channels];
                calActual[t] = new int[channels];
                for (int c = 0; c < channels; c++)
                {
                    int f = predicted[t][c] == AnomalyDetector.Missing ? 0 : predicted[t][c];
                    int a = actual[t][c] == AnomalyDetector.Missing ? f : actual[t][c];
                    calPredicted[t][c] = Math.Clamp(f, -1 << 24, 1 << 24);
                    calActual[t][c] = Math.Clamp(a, -1 << 24, 1 << 24);
                }
            }
            var calibrated = DetectorParameters.Parse(DetectorCalibration.Calibrate(calActual, calPredicted, DetectorStreams.FracBits));
            Compare(calibrated, actual, predicted, random);
        }
    }

    [Fact]
    public void MatchesTheReferenceOnTheNoisySineWithAnEpisode()
    {
        var (actual, predicted) = DetectorStreams.NoisySine(5000, seed: 3);
        for (int t = 3000; t < 3100; t++) actual[t][0] += 400;
        var p = DetectorParameters.Parse(DetectorCalibration.Calibrate(actual[..600], predicted[..600], DetectorStreams.FracBits));
        Compare(p, actual, predicted, new Random(5));
    }

    private static void Compare(DetectorParameters p, int[][] actual, int[][] predicted, Random random)
    {
        var detector = new AnomalyDetector(p);
        var reference = new ReferenceAnomalyDetector(p);
        int resetAt = random.Next(2) == 0 ? -1 : random.Next(actual.Length / 2, actual.Length);
        int nonZero = 0;
        for (int t = 0; t < actual.Length; t++)
        {
            if (t == resetAt)
            {
                detector.Reset();
                reference.Reset();
            }
            int expected = reference.Update(actual[t], predicted[t]);
            int got = detector.Update(actual[t], predicted[t]);
            if (expected != got || reference.IsAnomaly != detector.IsAnomaly || reference.IsAlarm != detector.IsAlarm
                || ReferenceLeading(reference.LeadingTracker) != detector.LeadingTracker || reference.StateScore != detector.StateScore
                || reference.LastScore != detector.LastScore || reference.Samples != detector.Samples
                || reference.MissingSamples != detector.MissingSamples || reference.IsWarm != detector.IsWarm)
            {
                Assert.Fail($"sample {t}: score {got} (reference {expected}), anomaly {detector.IsAnomaly} ({reference.IsAnomaly}), "
                    + $"alarm {detector.IsAlarm} ({reference.IsAlarm}), leading {detector.LeadingTracker} ({reference.LeadingTracker}), "
                    + $"state score {detector.StateScore} ({reference.StateScore}), samples {detector.Samples} ({reference.Samples}), "
                    + $"missing {detector.MissingSamples} ({reference.MissingSamples})");
            }
            if (got != 0) nonZero++;
        }
        Assert.True(nonZero > 0 || p.Threshold == 0 || p.WarmupSamples >= actual.Length, "the stream never scored: the comparison says little");
    }

    /// <summary>Random parameters within Validate's ranges, with the features section version <paramref name="version"/> has.</summary>
    private static DetectorParameters RandomParameters(Random random, int version, int channels)
    {
        var p = DetectorParameters.CreateDefault(channels, DetectorStreams.FracBits);
        int[] windows = [1, 2, 3, 7, 16, 16, 16, 32, 64, 5];
        p.AverageWindow = windows[random.Next(windows.Length)];
        p.StatisticsShift = random.Next(1, 17);
        p.ScoreDecades = random.Next(1, 61);
        p.WarmupSamples = random.Next(3) == 0 ? 0 : random.Next(0, 80);
        p.HoldOffSamples = random.Next(3) == 0 ? 0 : random.Next(1, 600);
        p.Threshold = random.Next(4) == 0 ? 0 : random.Next(1, AnomalyDetector.ScoreOne + 1);
        p.SigmaFloor = random.Next(3) == 0 ? 1 : random.Next(1, 1 << (random.Next(1, 21)));
        p.SeasonPeriod = version == 1 || random.Next(2) == 0 ? 0 : random.Next(2, 60);
        for (int c = 0; c < channels; c++)
        {
            p.ErrorScale[c] = random.Next(3) == 0 ? 1 : random.Next(1, 2000);
            p.InitialMean[c] = random.Next(0, 3 << 12);
            p.InitialStd[c] = random.Next(1, 3 << 12);
            p.SeasonScale[c] = random.Next(1, 2000);
            p.SeasonMean[c] = random.Next(0, 3 << 12);
            p.SeasonStd[c] = random.Next(1, 3 << 12);
            int low = random.Next(-3000, 3000);
            bool empty = random.Next(3) == 0;
            p.RangeLow[c] = empty ? int.MaxValue : low;
            p.RangeHigh[c] = empty ? int.MinValue : low + random.Next(0, 3000);
            p.SignedMean[c] = random.Next(-(1 << 12), 1 << 12);
            p.SignedStd[c] = random.Next(1, 3 << 12);
        }
        p.SpatialTolerance = random.Next(3) == 0 ? 0 : random.Next(0, 16 << DetectorParameters.ToleranceFracBits);
        p.SpatialScore = random.Next(0, AnomalyDetector.ScoreOne + 1);
        p.HoldOffMargin = random.Next(0, AnomalyDetector.ScoreOne / 4);
        p.HoldOffRatio = random.Next(0, DetectorParameters.MaxHoldOffRatio + 1);
        p.ConfidenceSamples = random.Next(3) == 0 ? 0 : random.Next(1, 2500);
        p.StateExit = random.Next(0, p.Threshold + 1);
        p.StateHoldSamples = random.Next(4) == 0 ? 0 : random.Next(1, 64);
        p.SignedErrors = random.Next(4) != 0;
        p.LearningClip = random.Next(3) == 0 ? 0 : random.Next(1, 256);
        if (version <= 5) p.LearningClip = 0;
        if (version <= 4)
        {
            p.StateExit = 0;
            p.StateHoldSamples = 0;
            p.SignedErrors = false;
            for (int c = 0; c < channels; c++) { p.SignedMean[c] = 0; p.SignedStd[c] = 1 << 12; }
        }
        if (version <= 3) p.ConfidenceSamples = 0;
        if (version <= 2)
        {
            p.SpatialTolerance = 0;
            p.SpatialScore = AnomalyDetector.ScoreOne;
            p.HoldOffMargin = 0;
            p.HoldOffRatio = 0;
            for (int c = 0; c < channels; c++) { p.RangeLow[c] = int.MaxValue; p.RangeHigh[c] = int.MinValue; }
        }
        p.Validate();
        return p;
    }

    /// <summary>
    /// A random walk per channel with a forecast that lags it, noise bursts, level shifts, spikes, missing
    /// actual and forecast values (some samples wholly missing) and extreme values (int.MaxValue, int.MinValue + 1).
    /// </summary>
    private static (int[][] Actual, int[][] Predicted) RandomStream(Random random, int channels, int length, DetectorParameters p)
    {
        var actual = new int[length][];
        var predicted = new int[length][];
        var level = new double[channels];
        var noise = new double[channels];
        for (int c = 0; c < channels; c++) { level[c] = random.Next(-2000, 2000); noise[c] = random.Next(1, 200); }
        for (int t = 0; t < length; t++)
        {
            actual[t] = new int[channels];
            predicted[t] = new int[channels];
            bool allMissing = random.Next(100) == 0;
            for (int c = 0; c < channels; c++)
            {
                if (random.Next(500) == 0) level[c] += random.Next(-20000, 20000);
                if (random.Next(300) == 0) noise[c] = random.Next(1, random.Next(2) == 0 ? 200 : 5000);
                level[c] += (random.NextDouble() - 0.5) * noise[c] * 0.2;
                if (p.SeasonPeriod > 0) level[c] += 30 * Math.Sin(2 * Math.PI * t / p.SeasonPeriod);
                double forecast = level[c] + (random.NextDouble() - 0.5) * noise[c];
                double value = level[c] + (random.NextDouble() - 0.5) * noise[c] * 2;
                if (random.Next(200) == 0) value += random.Next(-100000, 100000);
                int a = (int)Math.Clamp(value, int.MinValue + 1, int.MaxValue);
                int f = (int)Math.Clamp(forecast, int.MinValue + 1, int.MaxValue);
                int roll = random.Next(1000);
                if (roll < 3) a = int.MaxValue;
                else if (roll < 6) a = int.MinValue + 1;
                else if (roll < 8) f = int.MaxValue;
                else if (roll < 10) f = int.MinValue + 1;
                else if (roll < 12) { a = int.MaxValue; f = int.MinValue + 1; }
                if (random.Next(40) == 0 || allMissing) a = AnomalyDetector.Missing;
                if (random.Next(60) == 0 || (allMissing && random.Next(2) == 0)) f = AnomalyDetector.Missing;
                actual[t][c] = a;
                predicted[t][c] = f;
            }
        }
        return (actual, predicted);
    }

    /// <summary>The reference names a tracker channel * 4 + kind, as the detector did before version 7; the detector now uses channel * 8 + kind.</summary>
    private static int ReferenceLeading(int leading) => leading < 0 ? -1 : (leading / 4) * 8 + leading % 4;
}
