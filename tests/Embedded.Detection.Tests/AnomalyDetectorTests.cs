using Embedded.Tests.Common;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;
using Embedded.Trainer.Detection;

namespace Embedded.Detection.Tests;

public class AnomalyDetectorTests
{
    private const int CalibrationRows = 600;

    private static AnomalyDetector Calibrated(int[][] actual, int[][] predicted)
    {
        var section = DetectorCalibration.Calibrate(actual[..CalibrationRows], predicted[..CalibrationRows], DetectorStreams.FracBits);
        return new AnomalyDetector(DetectorParameters.Parse(section));
    }

    private static int[] Run(AnomalyDetector detector, int[][] actual, int[][] predicted, bool[]? alarms = null)
    {
        var scores = new int[actual.Length];
        for (int t = 0; t < actual.Length; t++)
        {
            scores[t] = detector.Update(actual[t], predicted[t]);
            if (alarms is not null) alarms[t] = detector.IsAnomaly;
        }
        return scores;
    }

    [Fact]
    public void ParametersRoundTripThroughTheSectionBytes()
    {
        var p = DetectorParameters.CreateDefault(3, 10);
        p.ErrorScale[1] = 12345; p.InitialMean[2] = 777; p.InitialStd[0] = 999; p.HoldOffSamples = 40; p.Threshold = 40000;
        var bytes = p.ToBytes();
        Assert.Equal(48 + 40 * 3, bytes.Length);
        var q = DetectorParameters.Parse(bytes);
        Assert.Equal(bytes, q.ToBytes());
        Assert.Equal(12345, q.ErrorScale[1]);
        Assert.Equal(40, q.HoldOffSamples);
    }

    [Fact]
    public void CorruptSectionsAreRejectedWithTheOffendingField()
    {
        var good = DetectorParameters.CreateDefault(2, 8).ToBytes();
        var badMagic = (byte[])good.Clone(); badMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badMagic)).Message);
        var badVersion = (byte[])good.Clone(); badVersion[4] = 9;
        Assert.Contains("version 9", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badVersion)).Message);
        Assert.Contains("bytes", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(good[..30])).Message);
        var badWindow = (byte[])good.Clone(); badWindow[6] = 0;
        Assert.Contains("averaging window", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badWindow)).Message);
        var badTolerance = (byte[])good.Clone(); badTolerance[27] = 0x7f;
        Assert.Contains("spatial tolerance", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badTolerance)).Message);
        var badReserved = (byte[])good.Clone(); badReserved[4] = 3; badReserved[38] = 1;
        Assert.Contains("reserved bytes 38-39 of version 3", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badReserved)).Message);
        var badScale = (byte[])good.Clone(); badScale[48] = 0; badScale[49] = 0; badScale[50] = 0; badScale[51] = 0;
        Assert.Contains("channel 0 error scale", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badScale)).Message);
        var badFlags = (byte[])good.Clone(); badFlags[46] = 0x82;
        Assert.Contains("flag bits", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badFlags)).Message);
        var badExit = (byte[])good.Clone(); badExit[43] = 0x01; // exit level above the threshold
        Assert.Contains("state exit", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badExit)).Message);
        var badClip = (byte[])good.Clone(); badClip[4] = 5; badClip[47] = 48; // a learning clip in a version 5 section
        Assert.Contains("reserved byte 47 of version 5", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badClip)).Message);
        var badSignedStd = (byte[])good.Clone(); Array.Clear(badSignedStd, 48 + 36, 4);
        Assert.Contains("channel 0 signed-error std", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(badSignedStd)).Message);
    }

    [Fact]
    public void ScoresStayInRangeOnHostileInput()
    {
        var detector = new AnomalyDetector(DetectorParameters.CreateDefault(2, 8));
        var random = new Random(7);
        int[] extremes = [int.MinValue, int.MaxValue, 0, -1, 1, int.MinValue + 1, AnomalyDetector.Missing];
        for (int t = 0; t < 20000; t++)
        {
            int[] a = [random.Next(4) == 0 ? extremes[random.Next(extremes.Length)] : random.Next(), random.Next(-1000, 1000)];
            int[] f = [random.Next(4) == 0 ? extremes[random.Next(extremes.Length)] : random.Next(), random.Next(-1000, 1000)];
            int score = detector.Update(a, f);
            Assert.InRange(score, 0, AnomalyDetector.ScoreOne);
        }
    }

    [Fact]
    public void WarmUpScoresZero()
    {
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 50;
        var detector = new AnomalyDetector(p);
        for (int t = 0; t < 50; t++)
        {
            Assert.Equal(0, detector.Update([1 << 20], [0]));
            Assert.False(detector.IsAnomaly);
        }
        Assert.True(detector.Update([1 << 20], [0]) > 0);
    }

    [Fact]
    public void QuietOnACleanPeriodicSignal()
    {
        var (actual, predicted) = DetectorStreams.NoisySine(5000, seed: 1);
        var detector = Calibrated(actual, predicted);
        var alarms = new bool[actual.Length];
        Run(detector, actual, predicted, alarms);
        Assert.Equal(0, alarms.Count(a => a));
    }

    [Fact]
    public void DetectsAnInjectedSpike()
    {
        var (actual, predicted) = DetectorStreams.NoisySine(3000, seed: 2);
        actual[2000][0] += 2 << DetectorStreams.FracBits; // +2 on a signal of amplitude 3 with noise 0.05
        var detector = Calibrated(actual, predicted);
        var alarms = new bool[actual.Length];
        Run(detector, actual, predicted, alarms);
        Assert.DoesNotContain(true, alarms[..2000]);
        Assert.Contains(true, alarms[2000..2010]);
    }

    [Fact]
    public void DetectsALevelShiftUnderAPersistenceForecast()
    {
        // The forecast is the previous value: a level shift shows as one large error, then small ones again.
        var (clean, _) = DetectorStreams.NoisySine(3000, seed: 3);
        for (int t = 1500; t < clean.Length; t++) clean[t][0] += 6 << DetectorStreams.FracBits;
        var predicted = new int[clean.Length][];
        predicted[0] = clean[0];
        for (int t = 1; t < clean.Length; t++) predicted[t] = clean[t - 1];
        var detector = Calibrated(clean, predicted);
        var alarms = new bool[clean.Length];
        Run(detector, clean, predicted, alarms);
        Assert.DoesNotContain(true, alarms[..1500]);
        Assert.Contains(true, alarms[1500..1510]);
    }

    [Fact]
    public void IdenticalStreamsGiveIdenticalScoresAndResetStartsOver()
    {
        var (actual, predicted) = DetectorStreams.NoisySine(2000, seed: 4, noise: 0.3);
        actual[1200][0] += 5 << DetectorStreams.FracBits;
        var first = Calibrated(actual, predicted);
        var second = Calibrated(actual, predicted);
        var a = Run(first, actual, predicted);
        Assert.Equal(a, Run(second, actual, predicted));
        first.Reset();
        Assert.Equal(a, Run(first, actual, predicted));
        Assert.Contains(a, s => s > 0);
    }

    [Fact]
    public void MissingValuesAreSkippedNotScored()
    {
        var (actual, predicted) = DetectorStreams.NoisySine(2000, seed: 5);
        var detector = Calibrated(actual, predicted);
        for (int t = 0; t < 1000; t++) detector.Update(actual[t], predicted[t]);
        for (int t = 0; t < 50; t++) Assert.Equal(0, detector.Update([AnomalyDetector.Missing], predicted[t]));
        Assert.Equal(50, detector.MissingSamples);
        Assert.False(detector.IsAnomaly);
    }

    [Fact]
    public void FlatLinedChannelDoesNotAlarmOnTinyErrors()
    {
        var actual = Enumerable.Range(0, 3000).Select(t => new[] { 1000 }).ToArray();
        var predicted = Enumerable.Range(0, 3000).Select(t => new[] { 1000 + (t % 3) }).ToArray();
        var detector = Calibrated(actual, predicted);
        var alarms = new bool[actual.Length];
        Run(detector, actual, predicted, alarms);
        Assert.DoesNotContain(true, alarms);
    }

    [Fact]
    public void MultipleChannelsScoreTheWorstChannel()
    {
        var (a0, p0) = DetectorStreams.NoisySine(3000, seed: 6);
        var (a1, p1) = DetectorStreams.NoisySine(3000, seed: 7);
        a1[2500][0] += 3 << DetectorStreams.FracBits;
        var actual = a0.Select((row, t) => new[] { row[0], a1[t][0] }).ToArray();
        var predicted = p0.Select((row, t) => new[] { row[0], p1[t][0] }).ToArray();
        var detector = Calibrated(actual, predicted);
        Assert.Equal(2, detector.Channels);
        var alarms = new bool[actual.Length];
        Run(detector, actual, predicted, alarms);
        Assert.DoesNotContain(true, alarms[..2500]);
        Assert.Contains(true, alarms[2500..2510]);
    }

    [Fact]
    public void HoldOffReportsAnEventOnceButLetsAStrongerOneThrough()
    {
        var (actual, predicted) = DetectorStreams.NoisySine(3000, seed: 9);
        for (int t = 1000; t < 1040; t++) actual[t][0] += 1 << DetectorStreams.FracBits;
        actual[1750][0] += 40 << DetectorStreams.FracBits;
        var section = DetectorCalibration.Calibrate(actual[..CalibrationRows], predicted[..CalibrationRows], DetectorStreams.FracBits);
        var withHoldOff = DetectorParameters.Parse(section);
        var without = DetectorParameters.Parse(section);
        without.HoldOffSamples = 0;
        var held = Run(new AnomalyDetector(withHoldOff), actual, predicted);
        var raw = Run(new AnomalyDetector(without), actual, predicted);
        int heldNonZero = held[1000..1100].Count(s => s > 0);
        int rawNonZero = raw[1000..1100].Count(s => s > 0);
        Assert.InRange(heldNonZero, 1, rawNonZero - 10);
        Assert.True(held[1750..1766].Max() > 0, $"the stronger event rises over the decayed envelope and passes: raw {raw[1750..1766].Max()}, held {held[1750..1766].Max()}");
    }

    [Fact]
    public void SeasonIsFoundAndADayThatBreaksThePatternIsFlagged()
    {
        // Period 50 sine; the forecast is persistence (blind to the pattern). From row 1500 the wave stops (flat middle).
        const int period = 50;
        var random = new Random(12);
        var actual = new int[3000][];
        var predicted = new int[3000][];
        for (int t = 0; t < actual.Length; t++)
        {
            double v = t >= 1500 && t < 1600 ? 10 : 10 + 3 * Math.Sin(2 * Math.PI * t / period);
            actual[t] = [Embedded.Shared.Fixed.FixedIo.ToFixed(v + 0.02 * random.NextDouble(), DetectorStreams.FracBits)];
            predicted[t] = t == 0 ? actual[0] : actual[t - 1];
        }
        var p = DetectorParameters.Parse(DetectorCalibration.Calibrate(actual[..CalibrationRows], predicted[..CalibrationRows], DetectorStreams.FracBits));
        Assert.True(p.SeasonPeriod > 0 && p.SeasonPeriod % period == 0, $"season {p.SeasonPeriod} is a multiple of {period}");
        var seasonal = Run(new AnomalyDetector(p), actual, predicted);
        p.SeasonPeriod = 0;
        var plain = Run(new AnomalyDetector(p), actual, predicted);
        Assert.True(seasonal[1500..1600].Max() >= p.Threshold, "the seasonal error sees the missing wave");
        Assert.True(seasonal[1500..1600].Max() > plain[1500..1600].Max());
        Assert.True(seasonal[CalibrationRows..1500].Max() < p.Threshold, "quiet while the pattern holds");
    }

    /// <summary>
    /// The same parameters in an older layout: the header of that version (24 bytes for 1 and 2, 40 for 3 and
    /// 4), then each channel's first <paramref name="channelBytes"/> bytes of the current layout.
    /// </summary>
    private static byte[] OlderLayout(byte[] current, int version, int channels, int channelBytes)
    {
        int header = version >= 3 ? DetectorParameters.Version3HeaderBytes : DetectorParameters.HeaderBytes;
        var older = new byte[header + channelBytes * channels];
        Array.Copy(current, older, header);
        older[4] = (byte)version;
        if (version == 1) { older[14] = 0; older[15] = 0; }
        if (version == 3) { older[38] = 0; older[39] = 0; }
        for (int c = 0; c < channels; c++)
            Array.Copy(current, DetectorParameters.Version5HeaderBytes + DetectorParameters.Version5ChannelBytes * c, older, header + channelBytes * c, channelBytes);
        return older;
    }

    [Fact]
    public void Version1SectionsAreStillRead()
    {
        var p = DetectorParameters.Parse(OlderLayout(DetectorParameters.CreateDefault(2, 8).ToBytes(), 1, 2, 12));
        Assert.Equal(0, p.SeasonPeriod);
        Assert.Equal(2, p.Channels);
        Assert.Equal(0, p.SpatialTolerance);
        Assert.InRange(new AnomalyDetector(p).Update([100, 100], [0, 0]), 0, AnomalyDetector.ScoreOne);
    }

    [Fact]
    public void Version2SectionsAreStillReadAndRunAsBefore()
    {
        // A version 2 file ran without the spatial channel and the hold-off margins: it still does.
        var v3 = DetectorParameters.CreateDefault(2, 8);
        v3.SeasonPeriod = 24; v3.SeasonScale[1] = 77; v3.ErrorScale[0] = 5; v3.HoldOffSamples = 300;
        var p = DetectorParameters.Parse(OlderLayout(v3.ToBytes(), 2, 2, 24));
        Assert.Equal(24, p.SeasonPeriod);
        Assert.Equal(77, p.SeasonScale[1]);
        Assert.Equal(5, p.ErrorScale[0]);
        Assert.Equal(300, p.HoldOffSamples);
        Assert.Equal(0, p.SpatialTolerance);
        Assert.Equal(0, p.HoldOffMargin);
        Assert.Equal(0, p.HoldOffRatio);
        Assert.True(p.RangeLow[0] > p.RangeHigh[0], "no calibrated range");
        Assert.Equal(0, p.ConfidenceSamples);
        Assert.Equal(5, p.ToBytes()[4]); // no learning clip: written back as version 5 (the same bytes), spatial channel still off
    }

    [Fact]
    public void Version3SectionsAreStillReadAndRunWithoutTheLearningRamp()
    {
        var current = DetectorParameters.CreateDefault(2, 8);
        current.HoldOffSamples = 123;
        Assert.Equal(2048, current.ConfidenceSamples);
        var v3 = DetectorParameters.Parse(OlderLayout(current.ToBytes(), 3, 2, 32)); // version 4's layout with offset 38 reserved
        Assert.Equal(0, v3.ConfidenceSamples);
        Assert.Equal(123, v3.HoldOffSamples);
        Assert.Equal(current.SpatialTolerance, v3.SpatialTolerance);
    }

    [Fact]
    public void Version4SectionsRunWithoutTheStateOrTheSignedTracker()
    {
        var current = DetectorParameters.CreateDefault(1, 8);
        var v4 = DetectorParameters.Parse(OlderLayout(current.ToBytes(), 4, 1, 32));
        Assert.False(v4.SignedErrors);
        Assert.Equal(0, v4.StateHoldSamples);
        Assert.Equal(current.ConfidenceSamples, v4.ConfidenceSamples);
        // As version 4 ran: IsAnomaly is the alarm (the score after the hold-off at the threshold), sample by sample.
        v4.WarmupSamples = 0; v4.ConfidenceSamples = 0; v4.RangeLow[0] = 0; v4.RangeHigh[0] = 1000;
        var detector = new AnomalyDetector(v4);
        detector.Update([500], [500]);
        detector.Update([5000], [5000]);
        Assert.True(detector.IsAnomaly && detector.IsAlarm);
        detector.Update([500], [500]);
        Assert.False(detector.IsAnomaly);
    }

    [Fact]
    public void Version6CarriesTheLearningClipAndVersion5SectionsRunWithoutIt()
    {
        var current = DetectorParameters.CreateDefault(2, 8);
        Assert.Equal(3 << DetectorParameters.LearningClipFracBits, current.LearningClip);
        var bytes = current.ToBytes();
        Assert.Equal(6, bytes[4]);
        Assert.Equal(48, bytes[47]);
        Assert.Equal(48, DetectorParameters.Parse(bytes).LearningClip);

        // A version 5 section is version 6's layout with byte 47 reserved: it runs as it did, unclipped.
        var v5bytes = (byte[])bytes.Clone();
        v5bytes[4] = 5; v5bytes[47] = 0;
        var v5 = DetectorParameters.Parse(v5bytes);
        Assert.Equal(0, v5.LearningClip);
        Assert.Equal(v5bytes, v5.ToBytes()); // and is written back as version 5, which older runtimes read

        current.LearningClip = 256;
        Assert.Contains("learning clip", Assert.Throws<ModelFormatException>(() => current.Validate()).Message);
    }

    [Fact]
    public void Version7CarriesTheFrozenReadingRunsAndOlderSectionsRunWithoutThem()
    {
        var p = DetectorParameters.CreateDefault(2, 8);
        Assert.Equal(6, p.ToBytes()[4]);   // no channel checked: still written as version 6
        p.FrozenRun[1] = 40;
        var bytes = p.ToBytes();
        Assert.Equal(7, bytes[4]);
        Assert.Equal(48 + 40 * 2 + 2 * 2, bytes.Length);
        var q = DetectorParameters.Parse(bytes);
        Assert.Equal([0, 40], q.FrozenRun);
        Assert.Equal(bytes, q.ToBytes());
        Assert.Contains("bytes", Assert.Throws<ModelFormatException>(() => DetectorParameters.Parse(bytes[..^2])).Message);
        Assert.False(DetectorParameters.Parse(DetectorParameters.CreateDefault(2, 8).ToBytes()).HasFrozenRun);
        p.FrozenRun[0] = 70000;
        Assert.Contains("frozen-reading run", Assert.Throws<ModelFormatException>(() => p.Validate()).Message);
    }

    [Fact]
    public void AFrozenReadingHoldsTheStateUntilItChangesAgain()
    {
        // Calibrated on a noisy sine (no reading repeats more than a few times in a row): a limit of 16 repeats.
        // No season, so that nothing but the frozen-reading check sees it (the seasonal tracker would, 9 samples in).
        var (actual, predicted) = DetectorStreams.NoisySine(600, seed: 9);
        var options = DetectorCalibrationOptions.Default with { ConfidenceSamples = 0, FindSeason = false };
        var p = DetectorCalibration.CalibrateParameters(actual, predicted, DetectorStreams.FracBits, options)!;
        Assert.Equal(16, p.FrozenRun[0]);
        var (stream, _) = DetectorStreams.NoisySine(2000, seed: 10);
        int frozenAt = 1000, thawAt = 1100;
        int[] Run(DetectorParameters parameters)
        {
            var detector = new AnomalyDetector(parameters);
            int entered = -1, left = -1;
            for (int t = 0; t < 2000; t++)
            {
                int[] a = t >= frozenAt && t < thawAt ? stream[frozenAt] : stream[t];
                detector.Update(a, a);   // a forecaster that follows the reading: its errors say nothing
                if (t == frozenAt + 20) Assert.Equal(AnomalyDetector.LeadByFrozen, AnomalyDetector.LeadingKind(detector.LeadingTracker));
                if (t >= frozenAt && detector.IsAnomaly && entered < 0) entered = t;
                if (entered >= 0 && !detector.IsAnomaly && left < 0) left = t;
            }
            return [entered, left];
        }
        int[] seen = Run(p);
        Assert.Equal(frozenAt + 16, seen[0]);   // the 17th reading in a row
        Assert.InRange(seen[1], thawAt, thawAt + 64);
        // A channel that held one reading for half its calibration rows is not checked.
        var flat = actual.Select((row, t) => t < 300 ? new[] { actual[0][0] } : row).ToArray();
        Assert.Equal(0, DetectorCalibration.CalibrateParameters(flat, predicted, DetectorStreams.FracBits, options)!.FrozenRun[0]);
    }

    /// <summary>
    /// 300 normal samples, a 400-sample episode in which the forecast is off by <paramref name="bias"/> error
    /// scales (one way), then normal again: the state per sample of the episode and of the 400 after it.
    /// </summary>
    private static (bool[] Episode, bool[] After) LongEpisode(int learningClip, int bias)
    {
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 0;
        p.ConfidenceSamples = 0;
        p.LearningClip = learningClip;
        p.ErrorScale[0] = 100;
        p.InitialMean[0] = 1 << 12;
        p.InitialStd[0] = 1 << 10;
        p.SignedMean[0] = 0;
        p.SignedStd[0] = (1 << 12) / 8;
        var detector = new AnomalyDetector(p);
        var episode = new bool[400];
        var after = new bool[400];
        for (int t = 0; t < 1100; t++)
        {
            int error = t % 2 == 0 ? -100 : 100;
            if (t >= 300 && t < 700) error = 100 * bias + error / 2;
            detector.Update([1000], [1000 - error]);
            if (t >= 300 && t < 700) episode[t - 300] = detector.IsAnomaly;
            else if (t >= 700) after[t - 700] = detector.IsAnomaly;
        }
        return (episode, after);
    }

    [Fact]
    public void TheLearningClipKeepsALongEpisodeAbnormalAndLetsTheStateEndAfterIt()
    {
        // Unclipped, an error 3 scales off inflates the running spread within the episode: the state drops
        // out long before the episode ends (and the inflated baseline then hides the next one).
        var (unclippedEpisode, _) = LongEpisode(0, 3);
        Assert.True(unclippedEpisode.Count(s => s) < 300, $"unclipped: abnormal {unclippedEpisode.Count(s => s)} of 400 episode samples");

        // Clipped at 3 spreads, the statistics move only a little per sample: abnormal for the whole
        // episode after the first averaging window ...
        var (episode, after) = LongEpisode(3 << DetectorParameters.LearningClipFracBits, 3);
        Assert.All(episode.Skip(32), s => Assert.True(s));
        // ... and normal again once the errors are, within the state hold and the averaging window.
        int cleared = Array.IndexOf(after, false);
        Assert.InRange(cleared, 0, 32 + 2 * 16);
        Assert.All(after.Skip(cleared + 1), s => Assert.False(s));
    }

    [Fact]
    public void TheLearningClipStillLearnsALastingNewLevel()
    {
        // A forecast that is off for good (the machine's new normal): clipped learning takes longer to accept
        // it, but it does, and the state ends.
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 0;
        p.ConfidenceSamples = 0;
        p.ErrorScale[0] = 100;
        p.InitialMean[0] = 1 << 12;
        p.InitialStd[0] = 1 << 10;
        p.SignedStd[0] = (1 << 12) / 8;
        var detector = new AnomalyDetector(p);
        int lastAbnormal = -1;
        for (int t = 0; t < 8000; t++)
        {
            int error = (t % 2 == 0 ? -100 : 100) + (t >= 300 ? 300 : 0);
            detector.Update([1000], [1000 - error]);
            if (detector.IsAnomaly) lastAbnormal = t;
        }
        Assert.InRange(lastAbnormal, 400, 6000);
    }

    [Fact]
    public void TheLeadingTrackerNamesTheChannelAndTheKindOfTheScore()
    {
        var p = DetectorParameters.CreateDefault(2, 8);
        p.WarmupSamples = 0;
        p.ConfidenceSamples = 0;
        p.HoldOffSamples = 0;
        for (int c = 0; c < 2; c++)
        {
            p.ErrorScale[c] = 100;
            p.InitialMean[c] = 1 << 12;
            p.InitialStd[c] = 1 << 10;
            p.SignedStd[c] = (1 << 12) / 8;
            p.RangeLow[c] = 0;
            p.RangeHigh[c] = 10000;
        }
        var detector = new AnomalyDetector(p);
        Assert.Equal(-1, detector.LeadingTracker);
        for (int t = 0; t < 200; t++)
        {
            int e = t % 2 == 0 ? -100 : 100;
            // Channel 1's forecast errs one way from sample 100 on; each error is as large as before.
            int e1 = t >= 100 ? 100 : e;
            detector.Update([1000, 1000], [1000 - e, 1000 - e1]);
        }
        Assert.True(detector.IsAnomaly);
        Assert.Equal(8 * 1 + AnomalyDetector.LeadByBias, detector.LeadingTracker);
        Assert.Equal(1, AnomalyDetector.LeadingChannel(detector.LeadingTracker));
        Assert.Equal(AnomalyDetector.LeadByBias, AnomalyDetector.LeadingKind(detector.LeadingTracker));

        // A value far beyond channel 0's range: the range check gives the score.
        detector.Update([30000, 1000], [30000, 900]);
        Assert.Equal(8 * 0 + AnomalyDetector.LeadByRange, detector.LeadingTracker);
    }

    [Theory]
    [InlineData(150, 600)]     // a short recording: trusted fully after four times its calibration rows
    [InlineData(400, 1600)]
    [InlineData(512, 2048)]    // from 512 rows on, the full ramp
    [InlineData(3000, 2048)]
    public void TheLearningRampIsAtMostFourTimesTheCalibrationRows(int rows, int ramp)
    {
        var (actual, predicted) = DetectorStreams.NoisySine(rows, seed: 4);
        var p = DetectorCalibration.CalibrateParameters(actual, predicted, DetectorStreams.FracBits, DetectorCalibrationOptions.Default)!;
        Assert.Equal(ramp, p.ConfidenceSamples);
        var uncapped = DetectorCalibration.CalibrateParameters(actual, predicted, DetectorStreams.FracBits, DetectorCalibrationOptions.Default with { ConfidencePerCalibrationRow = 0 })!;
        Assert.Equal(2048, uncapped.ConfidenceSamples);
    }

    /// <summary>A forecast that errs by one error scale, alternately up and down (normal) or always one way (biased).</summary>
    private static void Feed(AnomalyDetector detector, int t, bool biased, List<(bool State, bool Alarm)> log)
    {
        int error = biased || t % 2 == 0 ? -100 : 100;
        detector.Update([1000], [1000 - error]);
        log.Add((detector.IsAnomaly, detector.IsAlarm));
    }

    [Fact]
    public void APersistentBiasSetsTheStateOnceAndItClearsAfterTheHold()
    {
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 0;
        p.ConfidenceSamples = 0;
        p.ErrorScale[0] = 100;
        p.InitialMean[0] = 1 << 12;          // |error| averages one scale ...
        p.InitialStd[0] = 1 << 10;
        p.SignedMean[0] = 0;                 // ... and the signed error averages out
        p.SignedStd[0] = (1 << 12) / 8;
        var detector = new AnomalyDetector(p);
        var log = new List<(bool State, bool Alarm)>();
        for (int t = 0; t < 300; t++) Feed(detector, t, false, log);
        Assert.DoesNotContain(log, e => e.State || e.Alarm);

        // Every error is as large as before; only its sign is now always the same.
        log.Clear();
        for (int t = 300; t < 500; t++) Feed(detector, t, true, log);
        int entered = log.FindIndex(e => e.State);
        Assert.InRange(entered, 0, 20);                                   // within about one averaging window
        Assert.All(log.Skip(entered), e => Assert.True(e.State));        // held for the whole episode
        Assert.Equal(1, log.Count(e => e.Alarm));                         // one alarm, at its start
        Assert.True(log[entered].Alarm);

        // Back to normal: the state ends once the score has stayed low for the state hold.
        log.Clear();
        for (int t = 500; t < 700; t++) Feed(detector, t, false, log);
        int cleared = log.FindIndex(e => !e.State);
        Assert.InRange(cleared, p.StateHoldSamples - p.AverageWindow, p.StateHoldSamples + 2 * p.AverageWindow);
        Assert.All(log.Skip(cleared), e => Assert.False(e.State));
        Assert.DoesNotContain(log, e => e.Alarm);
    }

    [Fact]
    public void ADriftTheForecastFollowsDoesNotHoldTheState()
    {
        // A temperature creeping upwards: every value is a new high, the forecast keeps up with it.
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 0;
        p.ConfidenceSamples = 0;
        p.ErrorScale[0] = 10;
        p.RangeLow[0] = 0;
        p.RangeHigh[0] = 100;
        var detector = new AnomalyDetector(p);
        int abnormal = 0;
        for (int t = 0; t < 2000; t++)
        {
            int value = 100 + t / 2;
            detector.Update([value], [value - (t % 3) + 1]);
            if (detector.IsAnomaly) abnormal++;
        }
        Assert.Equal(0, abnormal);
    }

    [Fact]
    public void LearningRampScalesTheFirstScoresAndThenLetsThemThrough()
    {
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 0;
        p.HoldOffSamples = 0;
        p.RangeLow[0] = 0;
        p.RangeHigh[0] = 1000;
        p.ConfidenceSamples = 100;
        var detector = new AnomalyDetector(p);
        for (int t = 1; t < 25; t++) detector.Update([500], [500]);
        // The 25th sample is a spatial anomaly: a quarter of the way through the ramp, which runs from a
        // quarter of the score to all of it: (100 + 3 * 25) / 400 of it.
        Assert.Equal(p.SpatialScore * 175 / 400, detector.Update([5000], [5000]));
        for (int t = 26; t <= 100; t++) detector.Update([500], [500]);
        Assert.Equal(p.SpatialScore, detector.Update([50000], [50000]));
        p.ConfidenceSamples = 0;
        detector = new AnomalyDetector(p);
        Assert.Equal(p.SpatialScore, detector.Update([5000], [5000]));
        Assert.Equal(p.ConfidenceSamples, DetectorParameters.Parse(p.ToBytes()).ConfidenceSamples);
    }

    [Fact]
    public void SpatialChannelFlagsValuesBeyondTheCalibratedRange()
    {
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 0;
        p.HoldOffSamples = 0;
        p.ConfidenceSamples = 0;
        p.RangeLow[0] = 0;
        p.RangeHigh[0] = 1000;
        p.SpatialTolerance = (1 << DetectorParameters.ToleranceFracBits) / 10; // 10 % of the range: 100 units
        var detector = new AnomalyDetector(p);
        Assert.Equal(0, detector.Update([1090], [1090]));   // beyond the range, within the tolerance
        Assert.Equal(0, detector.Update([-95], [-95]));
        Assert.Equal(p.SpatialScore, detector.Update([1250], [1250])); // 1250 > 1090 + 10 % of 1185
        Assert.True(detector.IsAlarm);
        Assert.False(detector.IsAnomaly); // a new extreme is an event; it does not hold the abnormal state
        Assert.Equal(0, detector.Update([1250], [1250]));  // the range grew to include it
        p.SpatialTolerance = 0;
        Assert.Equal(0, new AnomalyDetector(p).Update([5000], [5000])); // off
    }

    [Fact]
    public void SpatialChannelStaysQuietOnAFlatLine()
    {
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 0;
        p.RangeLow[0] = 500;
        p.RangeHigh[0] = 500;
        var detector = new AnomalyDetector(p);
        for (int t = 0; t < 100; t++) Assert.Equal(0, detector.Update([500], [500]));
    }

    [Fact]
    public void HoldOffRatioKeepsARisingBurstToOneAlarm()
    {
        var p = DetectorParameters.CreateDefault(1, 8);
        p.WarmupSamples = 0;
        p.ConfidenceSamples = 0;
        p.HoldOffSamples = 500;
        p.RangeLow[0] = 0;
        p.RangeHigh[0] = 100;
        // Each value sets a new maximum by far more than the tolerance: a run of saturated spatial scores.
        var detector = new AnomalyDetector(p);
        int alarms = 0;
        for (int t = 0; t < 50; t++) if (detector.Update([200 * (t + 1)], [200 * (t + 1)]) > 0) alarms++;
        Assert.Equal(1, alarms);
        p.HoldOffMargin = 0;
        p.HoldOffRatio = 0;
        detector = new AnomalyDetector(p);
        alarms = 0;
        for (int t = 0; t < 50; t++) if (detector.Update([200 * (t + 1)], [200 * (t + 1)]) > 0) alarms++;
        Assert.True(alarms > 10, $"without margins every saturated score passes the decayed envelope ({alarms})");
    }

    [Fact]
    public void UpdateAllocatesNothing()
    {
        var (actual, predicted) = DetectorStreams.NoisySine(3000, seed: 8);
        var detector = Calibrated(actual, predicted);
        detector.Update(actual[0], predicted[0]);
        Assert.Equal(0, Allocations.Least(() =>
        {
            for (int t = 1; t < actual.Length; t++) detector.Update(actual[t], predicted[t]);
        }));
    }

    [Fact]
    public void GaussianTailMatchesTheNormalDistribution()
    {
        // Two-sided tail at z = 1.96 is 0.05 (1.301 decades); at z = 3.29, 0.001 (3 decades).
        Assert.Equal(1.301, GaussianTail.Decades((int)(1.96 * 256)) / 4096.0, 2);
        Assert.Equal(3.0, GaussianTail.Decades((int)Math.Round(3.2905 * 256)) / 4096.0, 2);
        Assert.Equal(0, GaussianTail.Decades(-5));
        Assert.True(GaussianTail.Decades(int.MaxValue) > 50 * 4096);
    }

    [Fact]
    public void IntegerLog10MatchesTheExactOne()
    {
        for (int n = 1; n <= 5000; n++)
            Assert.InRange(DetectionMath.Log10Q16(n) - Math.Log10(n) * 65536, -1, 1);
        Assert.Equal(0, DetectionMath.Log10Q16(0));
        Assert.InRange(DetectionMath.Log10Q16(10), 65534, 65538);
    }

    /// <summary>Channels of independent Gaussian noise (spread 20 units) around a forecast of 1000: ordinary errors only.</summary>
    internal static (int[][] Actual, int[][] Predicted) IndependentNoise(int channels, int length, int seed)
    {
        var random = new Random(seed);
        var actual = new int[length][];
        var predicted = new int[length][];
        for (int t = 0; t < length; t++)
        {
            actual[t] = new int[channels];
            predicted[t] = new int[channels];
            for (int c = 0; c < channels; c++)
            {
                double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                actual[t][c] = 1000 + (int)Math.Round(20 * gaussian);
                predicted[t][c] = 1000;
            }
        }
        return (actual, predicted);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void TheThresholdAndTheExitRiseByLog10OfTheErrorTrackers(int channels)
    {
        var (actual, predicted) = IndependentNoise(channels, 600, seed: 5);
        var p = DetectorCalibration.CalibrateParameters(actual, predicted, DetectorStreams.FracBits, DetectorCalibrationOptions.Default)!;
        Assert.Equal(0, p.SeasonPeriod);
        Assert.Equal(2 * channels, p.ErrorTrackers());
        double raise = Math.Log10(2 * channels) / 60 * AnomalyDetector.ScoreOne;
        Assert.InRange(p.Threshold - (AnomalyDetector.ScoreOne * 6.0 / 60 + raise), -2, 2);
        Assert.InRange(p.StateExit - (AnomalyDetector.ScoreOne * 6.0 / 60 / 4 + raise), -2, 2);
        var plain = DetectorCalibration.CalibrateParameters(actual, predicted, DetectorStreams.FracBits, DetectorCalibrationOptions.Default with { ThresholdPerTracker = false })!;
        Assert.InRange(plain.Threshold - AnomalyDetector.ScoreOne * 6.0 / 60, -1, 1);
    }

    [Fact]
    public void EightOrdinarySensorsEnterTheStateNoMoreOftenThanOne()
    {
        // The state is entered when any tracker reaches the threshold; with 16 trackers instead of 2 an ordinary
        // stream would enter it several times as often at the same level. Raised by log10 of the trackers, the
        // eight-sensor stream enters it about as often as one sensor does.
        int Entries(int channels, bool raised)
        {
            var (actual, predicted) = IndependentNoise(channels, 60000, seed: 11);
            var options = DetectorCalibrationOptions.Default with { ThresholdPerTracker = raised, ConfidenceSamples = 0 };
            var p = DetectorCalibration.CalibrateParameters(actual[..2000], predicted[..2000], DetectorStreams.FracBits, options)!;
            var detector = new AnomalyDetector(p);
            int entries = 0;
            bool before = false;
            for (int t = 0; t < actual.Length; t++)
            {
                detector.Update(actual[t], predicted[t]);
                if (detector.IsAnomaly && !before) entries++;
                before = detector.IsAnomaly;
            }
            return entries;
        }
        int one = Entries(1, raised: true), eight = Entries(8, raised: true), eightPlain = Entries(8, raised: false);
        Assert.True(eight < eightPlain, $"8 sensors: {eight} entries raised, {eightPlain} not raised");
        Assert.True(eight <= 2 * one + 2, $"8 sensors raised: {eight} entries; 1 sensor: {one}");
    }

    [Fact]
    public void IntegerSquareRootIsExactFloor()
    {
        foreach (long v in new long[] { 0, 1, 2, 3, 4, 15, 16, 17, 1L << 40, (1L << 62) - 1, long.MaxValue })
        {
            long r = DetectionMath.Sqrt(v);
            Assert.True(r * r <= v && (r + 1) * (r + 1) > v || r == 3037000499L, $"sqrt({v}) = {r}");
        }
    }
}
