using Embedded.Shared.Model;

namespace Embedded.Shared.Detection
{
    /// <summary>
    /// The anomaly detector's parameters: what travels in the model file's detector section
    /// (docs/DETECTION.md, "Detector section"). Version 7 layout, little-endian, 48 + 42 * Channels bytes
    /// (still read: version 6, 48 + 40 * Channels bytes, run without the frozen-reading check; version 5, version
    /// 6's layout with byte 47 reserved, run without the learning clip;
    /// version 4, 40 + 32 * Channels bytes, no state or signed tracker; version 3, version 4's layout with
    /// offset 38 reserved, run without the learning ramp; version 2, 24 + 24 * Channels bytes, and
    /// version 1, 24 + 12 * Channels bytes with no seasonal fields and offset 14 reserved; both also
    /// without the spatial channel and hold-off margins):
    /// <code>
    ///  0  4  magic "ADET"
    ///  4  1  version (7; 1 to 6 are read too)
    ///  5  1  channels C (1..64)
    ///  6  1  averaging window W (1..64): newest errors averaged into the short-term error
    ///  7  1  statistics shift k (1..16): the running mean/variance forget with weight 2^-k per sample
    ///  8  1  score decades D (1..60): a tail probability of 10^-D maps to a score of 1
    ///  9  1  reserved (0)
    /// 10  2  warm-up samples (score 0 while the predictor's state settles)
    /// 12  2  hold-off samples (after an alarm, weaker scores read 0 while it decays over this long; 0 = off)
    /// 14  2  season period P (0 = off, 2..1024): also watch the error against the value P samples ago
    /// 16  4  threshold (score, ScoreOne = 1.0): IsAnomaly when the score reaches it
    /// 20  4  sigma floor (Q12 normalised error): smallest spread the statistics may assume
    /// 24  4  spatial tolerance (Q16 fraction of the range seen so far, 0 = off, at most 16.0)
    /// 28  4  spatial score (0..ScoreOne)
    /// 32  4  hold-off margin (score units, 0..ScoreOne)
    /// 36  2  hold-off ratio (Q8, 0..4.0)
    /// 38  2  confidence samples R (learning ramp: scores scaled by (R + 3n) / 4R over the first R samples; 0 = off; version 4)
    /// 40  4  state exit level (score units, 0..threshold; version 5): the abnormal state ends once the error
    ///          trackers' score has stayed below it for the state hold
    /// 44  2  state hold samples (version 5; 0 = no state: IsAnomaly is the alarm, as versions 1 to 4 ran)
    /// 46  1  flags (version 5): bit 0 = watch the signed forecast error (bias) too; other bits 0
    /// 47  1  learning clip (version 6; Q4 z, 0 = off): a short-term error further than this many spreads
    ///          from the running mean teaches the statistics only as much as one at that distance
    /// 40 or 48, 32*C or 40*C per channel: forecast error scale (output fixed-point units, &gt;= 1), initial mean (Q12),
    ///          initial std (Q12), then the same three for the seasonal error (ignored when P = 0), then the lowest
    ///          and highest value seen at calibration (output fixed point; low &gt; high = none); version 5 then adds
    ///          the initial mean (Q12, signed) and std (Q12) of the short-term signed error
    /// 48 + 40*C, 2*C (version 7): per channel, the frozen-reading run (0 = off): the channel is abnormal while its
    ///          reading has repeated for more samples than this
    /// </code>
    /// </summary>
    public sealed class DetectorParameters
    {
        public const int Version = 7;
        /// <summary>Fraction bits of the learning clip (byte 47 of version 6).</summary>
        public const int LearningClipFracBits = 4;
        /// <summary>Header length of version 5 (version 4's, then the state and flag fields).</summary>
        public const int Version5HeaderBytes = 48;
        /// <summary>Per-channel bytes of version 5 (version 4's, then the signed error's mean and std).</summary>
        public const int Version5ChannelBytes = 40;
        /// <summary>Flag bit: the signed-error (bias) tracker is on.</summary>
        public const int FlagSignedErrors = 1;
        /// <summary>Header length of versions 1 and 2.</summary>
        public const int HeaderBytes = 24;
        /// <summary>Header length of versions 3 and 4 (the version 2 header, then spatial, hold-off and ramp fields).</summary>
        public const int Version3HeaderBytes = 40;
        public const int MaxHoldOffRatio = 4 << 8;
        /// <summary>Per-channel bytes of version 2.</summary>
        public const int ChannelBytes = 24;
        /// <summary>Per-channel bytes of version 3 (version 2's, then the calibrated range).</summary>
        public const int Version3ChannelBytes = 32;
        public const int Version1ChannelBytes = 12;
        public const int MaxSeasonPeriod = 1024;
        public const int MaxChannels = 64;
        public const int MaxAverageWindow = 64;
        public const int MaxStatisticsShift = 16;
        public const int MaxScoreDecades = 60;

        /// <summary>Fraction bits of normalised errors (error / error scale).</summary>
        public const int ErrorFracBits = 12;

        /// <summary>Largest normalised error (Q12, 256 error scales): keeps squares and sums far from overflow.</summary>
        public const int MaxNormalisedError = 1 << 20;

        public int Channels;
        public int AverageWindow;
        public int StatisticsShift;
        public int ScoreDecades;
        public int WarmupSamples;
        public int HoldOffSamples;
        public int Threshold;
        public int SigmaFloor;
        public int[] ErrorScale;
        public int[] InitialMean;
        public int[] InitialStd;
        public int SeasonPeriod;
        public int[] SeasonScale;
        public int[] SeasonMean;
        public int[] SeasonStd;

        /// <summary>Fraction bits of <see cref="SpatialTolerance"/>.</summary>
        public const int ToleranceFracBits = 16;

        /// <summary>Fraction bits of <see cref="HoldOffRatio"/>.</summary>
        public const int RatioFracBits = 8;

        /// <summary>Spatial channel: a value beyond the range seen so far by this fraction of it (Q16) is anomalous; 0 = off.</summary>
        public int SpatialTolerance;

        /// <summary>Score of a spatial anomaly (ScoreOne = 1.0).</summary>
        public int SpatialScore;

        /// <summary>
        /// Per channel, the range of values seen at calibration (output fixed point) that the spatial channel
        /// starts from; low &gt; high is the empty range (learned from the stream alone).
        /// </summary>
        public int[] RangeLow;
        public int[] RangeHigh;

        /// <summary>During a hold-off a new alarm must beat the last one by this much (score units) ...</summary>
        public int HoldOffMargin;

        /// <summary>... plus this fraction of it (Q8).</summary>
        public int HoldOffRatio;

        /// <summary>
        /// Learning ramp: over the first R samples since Reset scores are scaled by (R + 3n) / 4R, a quarter
        /// at first and all of it at R (n samples seen; 0 = off).
        /// Version 4; older sections read as 0.
        /// </summary>
        public int ConfidenceSamples;

        /// <summary>
        /// The abnormal state (IsAnomaly) ends once the error trackers' score has stayed below this level
        /// (score units, at most the threshold) for <see cref="StateHoldSamples"/> samples. Version 5.
        /// </summary>
        public int StateExit;

        /// <summary>Samples of calm that end the abnormal state; 0 = no state (IsAnomaly is the alarm, as versions 1 to 4 ran).</summary>
        public int StateHoldSamples;

        /// <summary>
        /// Also watch the short-term mean of the signed forecast error: a forecast that is persistently off
        /// one way (a level the forecaster never learned) though each error is small. Version 5.
        /// </summary>
        public bool SignedErrors;

        /// <summary>
        /// Learning clip (Q4 z, 0 = off, at most 255): when the short-term error lies further than this many
        /// spreads from the running mean, the statistics learn from it as if it lay at that distance. A
        /// sustained anomaly then cannot teach the baseline quickly (unclipped, an error at 20 spreads
        /// inflates the variance by 40 % per sample with k = 10, and the episode's own scores fade within
        /// it), while a lasting new level is still learned, more slowly. Version 6; older sections read as 0.
        /// </summary>
        public int LearningClip;

        /// <summary>Per channel, initial mean (Q12, signed) and std (Q12) of the short-term signed error.</summary>
        public int[] SignedMean;
        public int[] SignedStd;

        /// <summary>
        /// Per channel, the frozen-reading run (0..65535, 0 = off; null = off for every channel): the channel is
        /// abnormal while its reading has repeated for more samples than this (a sensor that stopped updating
        /// gives small forecast errors, which no error tracker flags). Calibration sets it from the longest run of
        /// one reading in the calibration rows. Version 7; older sections read as off.
        /// </summary>
        public int[] FrozenRun;

        /// <summary>Whether any channel has the frozen-reading check (the section is then written as version 7).</summary>
        public bool HasFrozenRun
        {
            get
            {
                if (FrozenRun == null) return false;
                for (int c = 0; c < FrozenRun.Length; c++)
                {
                    if (FrozenRun[c] > 0) return true;
                }
                return false;
            }
        }

        /// <summary>Error trackers that can drive the state: per channel the absolute error, the signed error (when on) and the seasonal error (when a season is set).</summary>
        public int ErrorTrackers()
        {
            return Channels * ((SignedErrors ? 2 : 1) + (SeasonPeriod > 0 ? 1 : 0));
        }

        /// <summary>
        /// log10(<see cref="ErrorTrackers"/>) decades as a score (ScoreOne = 1.0, rounded): how far the largest of
        /// N ordinary trackers sits above a single one. Calibration raises the threshold and the exit level by
        /// it, and a sensitivity laid over a model (<see cref="DetectorSettings"/>) is raised by it too.
        /// </summary>
        public int PerTrackerRaise()
        {
            long q16 = DetectionMath.Log10Q16(ErrorTrackers());
            return (int)((q16 * AnomalyDetector.ScoreOne / 65536 + ScoreDecades / 2) / ScoreDecades);
        }

        /// <summary>
        /// General defaults for <paramref name="channels"/> channels before calibration: an error scale of
        /// one output unit per channel and a normalised error distribution of mean 1, std 1.
        /// </summary>
        public static DetectorParameters CreateDefault(int channels, int outputFracBits)
        {
            if (channels < 1 || channels > MaxChannels) throw new System.ArgumentOutOfRangeException("channels");
            DetectorParameters p = new DetectorParameters();
            p.Channels = channels;
            p.AverageWindow = 16;
            p.StatisticsShift = 10;
            p.ScoreDecades = 60;
            p.WarmupSamples = 16;
            p.HoldOffSamples = 400;
            p.ConfidenceSamples = 2048;
            p.Threshold = AnomalyDetector.ScoreOne * 6 / 60;
            p.SigmaFloor = 1 << (ErrorFracBits - 4);
            p.ErrorScale = new int[channels];
            p.InitialMean = new int[channels];
            p.InitialStd = new int[channels];
            p.SeasonPeriod = 0;
            p.SpatialTolerance = (1 << ToleranceFracBits) / 50;
            p.SpatialScore = AnomalyDetector.ScoreOne;
            p.HoldOffMargin = AnomalyDetector.ScoreOne / 20;
            p.HoldOffRatio = 1 << (RatioFracBits - 1);
            p.SeasonScale = new int[channels];
            p.SeasonMean = new int[channels];
            p.SeasonStd = new int[channels];
            p.RangeLow = new int[channels];
            p.RangeHigh = new int[channels];
            p.StateHoldSamples = 32;
            p.SignedErrors = true;
            p.LearningClip = 3 << LearningClipFracBits;
            // Entry and exit (a quarter of the threshold) raised by log10 of the number of error trackers
            // (absolute and signed error per channel), as calibration does.
            int perTracker = p.PerTrackerRaise();
            p.StateExit = p.Threshold / 4 + perTracker;
            p.Threshold += perTracker;
            p.SignedMean = new int[channels];
            p.SignedStd = new int[channels];
            p.FrozenRun = new int[channels];
            int unit = outputFracBits >= 0 && outputFracBits < 31 ? 1 << outputFracBits : 1;
            for (int c = 0; c < channels; c++)
            {
                p.ErrorScale[c] = unit;
                p.InitialMean[c] = 1 << ErrorFracBits;
                p.InitialStd[c] = 1 << ErrorFracBits;
                p.SeasonScale[c] = unit;
                p.SeasonMean[c] = 1 << ErrorFracBits;
                p.SeasonStd[c] = 1 << ErrorFracBits;
                p.RangeLow[c] = int.MaxValue;
                p.RangeHigh[c] = int.MinValue;
                p.SignedMean[c] = 0;
                p.SignedStd[c] = 1 << ErrorFracBits;
            }
            return p;
        }

        /// <summary>Length in bytes of the serialised section.</summary>
        public int ByteLength
        {
            get { return Version5HeaderBytes + Version5ChannelBytes * Channels + (HasFrozenRun ? 2 * Channels : 0); }
        }

        /// <summary>Throws <see cref="ModelFormatException"/> naming the first field out of range.</summary>
        public void Validate()
        {
            Check(Channels >= 1 && Channels <= MaxChannels, "channels must be 1.." + MaxChannels.ToString() + ", is " + Channels.ToString(), 5);
            Check(AverageWindow >= 1 && AverageWindow <= MaxAverageWindow, "averaging window must be 1.." + MaxAverageWindow.ToString() + ", is " + AverageWindow.ToString(), 6);
            Check(StatisticsShift >= 1 && StatisticsShift <= MaxStatisticsShift, "statistics shift must be 1.." + MaxStatisticsShift.ToString() + ", is " + StatisticsShift.ToString(), 7);
            Check(ScoreDecades >= 1 && ScoreDecades <= MaxScoreDecades, "score decades must be 1.." + MaxScoreDecades.ToString() + ", is " + ScoreDecades.ToString(), 8);
            Check(WarmupSamples >= 0 && WarmupSamples <= 65535, "warm-up samples must be 0..65535, is " + WarmupSamples.ToString(), 10);
            Check(HoldOffSamples >= 0 && HoldOffSamples <= 65535, "hold-off samples must be 0..65535, is " + HoldOffSamples.ToString(), 12);
            Check(Threshold >= 0 && Threshold <= AnomalyDetector.ScoreOne, "threshold must be 0..ScoreOne, is " + Threshold.ToString(), 16);
            Check(SigmaFloor >= 1 && SigmaFloor <= MaxNormalisedError, "sigma floor must be 1..2^20, is " + SigmaFloor.ToString(), 20);
            Check(SpatialTolerance >= 0 && SpatialTolerance <= (16 << ToleranceFracBits), "spatial tolerance must be 0..16 ranges (Q16), is " + SpatialTolerance.ToString(), 24);
            Check(SpatialScore >= 0 && SpatialScore <= AnomalyDetector.ScoreOne, "spatial score must be 0..ScoreOne, is " + SpatialScore.ToString(), 28);
            Check(HoldOffMargin >= 0 && HoldOffMargin <= AnomalyDetector.ScoreOne, "hold-off margin must be 0..ScoreOne, is " + HoldOffMargin.ToString(), 32);
            Check(ConfidenceSamples >= 0 && ConfidenceSamples <= 65535, "confidence samples must be 0..65535, is " + ConfidenceSamples.ToString(), 38);
            Check(HoldOffRatio >= 0 && HoldOffRatio <= MaxHoldOffRatio, "hold-off ratio must be 0.." + MaxHoldOffRatio.ToString() + " (Q8), is " + HoldOffRatio.ToString(), 36);
            Check(ErrorScale != null && InitialMean != null && InitialStd != null
                && ErrorScale.Length == Channels && InitialMean.Length == Channels && InitialStd.Length == Channels,
                "per-channel arrays must hold one value per channel", HeaderBytes);
            Check(SeasonPeriod == 0 || (SeasonPeriod >= 2 && SeasonPeriod <= MaxSeasonPeriod), "season period must be 0 or 2.." + MaxSeasonPeriod.ToString() + ", is " + SeasonPeriod.ToString(), 14);
            Check(SeasonScale != null && SeasonMean != null && SeasonStd != null
                && SeasonScale.Length == Channels && SeasonMean.Length == Channels && SeasonStd.Length == Channels,
                "per-channel seasonal arrays must hold one value per channel", HeaderBytes);
            Check(RangeLow != null && RangeHigh != null && RangeLow.Length == Channels && RangeHigh.Length == Channels,
                "per-channel range arrays must hold one value per channel", Version3HeaderBytes);
            Check(StateExit >= 0 && StateExit <= Threshold, "state exit level must be 0..threshold, is " + StateExit.ToString(), 40);
            Check(StateHoldSamples >= 0 && StateHoldSamples <= 65535, "state hold samples must be 0..65535, is " + StateHoldSamples.ToString(), 44);
            Check(LearningClip >= 0 && LearningClip <= 255, "learning clip must be 0..255 (Q4), is " + LearningClip.ToString(), 47);
            Check(SignedMean != null && SignedStd != null && SignedMean.Length == Channels && SignedStd.Length == Channels,
                "per-channel signed-error arrays must hold one value per channel", Version5HeaderBytes);
            Check(FrozenRun == null || FrozenRun.Length == Channels, "per-channel frozen-reading runs must hold one value per channel", Version5HeaderBytes + Version5ChannelBytes * Channels);
            for (int c = 0; FrozenRun != null && c < Channels; c++)
                Check(FrozenRun[c] >= 0 && FrozenRun[c] <= 65535, "channel " + c.ToString() + " frozen-reading run must be 0..65535, is " + FrozenRun[c].ToString(), Version5HeaderBytes + Version5ChannelBytes * Channels + 2 * c);
            for (int c = 0; c < Channels; c++)
            {
                int at5 = Version5HeaderBytes + Version5ChannelBytes * c;
                Check(SignedMean[c] >= -MaxNormalisedError && SignedMean[c] <= MaxNormalisedError, "channel " + c.ToString() + " signed-error mean must be -2^20..2^20, is " + SignedMean[c].ToString(), at5 + 32);
                Check(SignedStd[c] >= 1 && SignedStd[c] <= MaxNormalisedError, "channel " + c.ToString() + " signed-error std must be 1..2^20, is " + SignedStd[c].ToString(), at5 + 36);
            }
            for (int c = 0; c < Channels; c++)
            {
                int at = Version5HeaderBytes + Version5ChannelBytes * c;
                Check(SeasonScale[c] >= 1, "channel " + c.ToString() + " seasonal error scale must be at least 1, is " + SeasonScale[c].ToString(), at + 12);
                Check(SeasonMean[c] >= 0 && SeasonMean[c] <= MaxNormalisedError, "channel " + c.ToString() + " seasonal mean must be 0..2^20, is " + SeasonMean[c].ToString(), at + 16);
                Check(SeasonStd[c] >= 1 && SeasonStd[c] <= MaxNormalisedError, "channel " + c.ToString() + " seasonal std must be 1..2^20, is " + SeasonStd[c].ToString(), at + 20);
                Check(ErrorScale[c] >= 1, "channel " + c.ToString() + " error scale must be at least 1, is " + ErrorScale[c].ToString(), at);
                Check(InitialMean[c] >= 0 && InitialMean[c] <= MaxNormalisedError, "channel " + c.ToString() + " initial mean must be 0..2^20, is " + InitialMean[c].ToString(), at + 4);
                Check(InitialStd[c] >= 1 && InitialStd[c] <= MaxNormalisedError, "channel " + c.ToString() + " initial std must be 1..2^20, is " + InitialStd[c].ToString(), at + 8);
            }
        }

        /// <summary>
        /// Serialises the (validated) parameters in the version 7 layout when a channel has the frozen-reading
        /// check, else as version 6, or as version 5 when the learning clip is off too (the same bytes), so a
        /// device with an older runtime still takes such a model.
        /// </summary>
        public byte[] ToBytes()
        {
            Validate();
            byte[] bytes = new byte[ByteLength];
            bytes[0] = (byte)'A';
            bytes[1] = (byte)'D';
            bytes[2] = (byte)'E';
            bytes[3] = (byte)'T';
            bool frozen = HasFrozenRun;
            bytes[4] = (byte)(frozen ? 7 : (LearningClip == 0 ? 5 : 6));
            bytes[5] = (byte)Channels;
            bytes[6] = (byte)AverageWindow;
            bytes[7] = (byte)StatisticsShift;
            bytes[8] = (byte)ScoreDecades;
            LittleEndian.WriteUInt16(bytes, 10, WarmupSamples);
            LittleEndian.WriteUInt16(bytes, 12, HoldOffSamples);
            LittleEndian.WriteUInt16(bytes, 14, SeasonPeriod);
            LittleEndian.WriteInt32(bytes, 16, Threshold);
            LittleEndian.WriteInt32(bytes, 20, SigmaFloor);
            LittleEndian.WriteInt32(bytes, 24, SpatialTolerance);
            LittleEndian.WriteInt32(bytes, 28, SpatialScore);
            LittleEndian.WriteInt32(bytes, 32, HoldOffMargin);
            LittleEndian.WriteUInt16(bytes, 36, HoldOffRatio);
            LittleEndian.WriteUInt16(bytes, 38, ConfidenceSamples);
            LittleEndian.WriteInt32(bytes, 40, StateExit);
            LittleEndian.WriteUInt16(bytes, 44, StateHoldSamples);
            bytes[46] = (byte)(SignedErrors ? FlagSignedErrors : 0);
            bytes[47] = (byte)LearningClip;
            for (int c = 0; c < Channels; c++)
            {
                int at = Version5HeaderBytes + Version5ChannelBytes * c;
                LittleEndian.WriteInt32(bytes, at, ErrorScale[c]);
                LittleEndian.WriteInt32(bytes, at + 4, InitialMean[c]);
                LittleEndian.WriteInt32(bytes, at + 8, InitialStd[c]);
                LittleEndian.WriteInt32(bytes, at + 12, SeasonScale[c]);
                LittleEndian.WriteInt32(bytes, at + 16, SeasonMean[c]);
                LittleEndian.WriteInt32(bytes, at + 20, SeasonStd[c]);
                LittleEndian.WriteInt32(bytes, at + 24, RangeLow[c]);
                LittleEndian.WriteInt32(bytes, at + 28, RangeHigh[c]);
                LittleEndian.WriteInt32(bytes, at + 32, SignedMean[c]);
                LittleEndian.WriteInt32(bytes, at + 36, SignedStd[c]);
                if (frozen) LittleEndian.WriteUInt16(bytes, Version5HeaderBytes + Version5ChannelBytes * Channels + 2 * c, FrozenRun[c]);
            }
            return bytes;
        }

        /// <summary>Parses and validates a detector section; throws only <see cref="ModelFormatException"/>.</summary>
        public static DetectorParameters Parse(byte[] section)
        {
            if (section == null) throw new ModelFormatException("detector section: missing", 0);
            Check(section.Length >= HeaderBytes, "detector section: " + section.Length.ToString() + " bytes, the header alone needs " + HeaderBytes.ToString(), 0);
            Check(section[0] == (byte)'A' && section[1] == (byte)'D' && section[2] == (byte)'E' && section[3] == (byte)'T', "detector section: magic is not 'ADET'", 0);
            int version = section[4];
            Check(version >= 1 && version <= Version, "detector section: version " + version.ToString() + " is not supported (this runtime reads versions 1 to " + Version.ToString() + ")", 4);
            Check(section[9] == 0, "detector section: reserved byte 9 must be 0", 9);
            Check(version > 1 || (section[14] == 0 && section[15] == 0), "detector section: reserved bytes 14-15 of version 1 must be 0", 14);
            int channelBytes = version == 1 ? Version1ChannelBytes : (version == 2 ? ChannelBytes : (version <= 4 ? Version3ChannelBytes : Version5ChannelBytes));
            int headerBytes = version >= 5 ? Version5HeaderBytes : (version >= 3 ? Version3HeaderBytes : HeaderBytes);
            Check(section.Length >= headerBytes, "detector section: " + section.Length.ToString() + " bytes, the version " + version.ToString() + " header alone needs " + headerBytes.ToString(), 0);
            Check(version != 3 || (section[38] == 0 && section[39] == 0), "detector section: reserved bytes 38-39 of version 3 must be 0", 38);
            DetectorParameters p = new DetectorParameters();
            p.Channels = section[5];
            Check(p.Channels >= 1 && p.Channels <= MaxChannels, "detector section: channels must be 1.." + MaxChannels.ToString() + ", is " + p.Channels.ToString(), 5);
            int frozenBytes = version >= 7 ? 2 * p.Channels : 0;
            Check(section.Length == headerBytes + channelBytes * p.Channels + frozenBytes,
                "detector section: " + section.Length.ToString() + " bytes, " + p.Channels.ToString() + " channels need " + (headerBytes + channelBytes * p.Channels + frozenBytes).ToString(), 0);
            p.AverageWindow = section[6];
            p.StatisticsShift = section[7];
            p.ScoreDecades = section[8];
            p.WarmupSamples = LittleEndian.ReadUInt16(section, 10);
            p.HoldOffSamples = LittleEndian.ReadUInt16(section, 12);
            p.Threshold = LittleEndian.ReadInt32(section, 16);
            p.SigmaFloor = LittleEndian.ReadInt32(section, 20);
            // Versions 1 and 2 predate the spatial channel and the hold-off margins: off, as they ran.
            p.SpatialTolerance = version >= 3 ? LittleEndian.ReadInt32(section, 24) : 0;
            p.SpatialScore = version >= 3 ? LittleEndian.ReadInt32(section, 28) : AnomalyDetector.ScoreOne;
            p.HoldOffMargin = version >= 3 ? LittleEndian.ReadInt32(section, 32) : 0;
            p.HoldOffRatio = version >= 3 ? LittleEndian.ReadUInt16(section, 36) : 0;
            // Versions 1 to 3 predate the learning ramp: off, as they ran.
            p.ConfidenceSamples = version >= 4 ? LittleEndian.ReadUInt16(section, 38) : 0;
            // Versions 1 to 4 predate the abnormal state and the signed tracker: IsAnomaly is the alarm, as they ran.
            if (version >= 5)
            {
                Check((section[46] & ~FlagSignedErrors) == 0, "detector section: unknown flag bits in byte 46", 46);
                Check(version >= 6 || section[47] == 0, "detector section: reserved byte 47 of version 5 must be 0", 47);
            }
            p.StateExit = version >= 5 ? LittleEndian.ReadInt32(section, 40) : 0;
            p.StateHoldSamples = version >= 5 ? LittleEndian.ReadUInt16(section, 44) : 0;
            p.SignedErrors = version >= 5 && (section[46] & FlagSignedErrors) != 0;
            // Versions 1 to 5 predate the learning clip: off, as they ran.
            p.LearningClip = version >= 6 ? section[47] : 0;
            p.SignedMean = new int[p.Channels];
            p.SignedStd = new int[p.Channels];
            p.ErrorScale = new int[p.Channels];
            p.InitialMean = new int[p.Channels];
            p.InitialStd = new int[p.Channels];
            p.SeasonPeriod = version == 1 ? 0 : LittleEndian.ReadUInt16(section, 14);
            p.SeasonScale = new int[p.Channels];
            p.SeasonMean = new int[p.Channels];
            p.SeasonStd = new int[p.Channels];
            p.RangeLow = new int[p.Channels];
            p.RangeHigh = new int[p.Channels];
            // Versions 1 to 6 predate the frozen-reading check: off, as they ran.
            p.FrozenRun = new int[p.Channels];
            for (int c = 0; c < p.Channels; c++)
            {
                if (version >= 7) p.FrozenRun[c] = LittleEndian.ReadUInt16(section, headerBytes + channelBytes * p.Channels + 2 * c);
                int at = headerBytes + channelBytes * c;
                p.SignedMean[c] = version >= 5 ? LittleEndian.ReadInt32(section, at + 32) : 0;
                p.SignedStd[c] = version >= 5 ? LittleEndian.ReadInt32(section, at + 36) : 1 << ErrorFracBits;
                p.RangeLow[c] = version >= 3 ? LittleEndian.ReadInt32(section, at + 24) : int.MaxValue;
                p.RangeHigh[c] = version >= 3 ? LittleEndian.ReadInt32(section, at + 28) : int.MinValue;
                p.ErrorScale[c] = LittleEndian.ReadInt32(section, at);
                p.InitialMean[c] = LittleEndian.ReadInt32(section, at + 4);
                p.InitialStd[c] = LittleEndian.ReadInt32(section, at + 8);
                if (version == 1)
                {
                    p.SeasonScale[c] = 1;
                    p.SeasonMean[c] = 1 << ErrorFracBits;
                    p.SeasonStd[c] = 1 << ErrorFracBits;
                    continue;
                }
                p.SeasonScale[c] = LittleEndian.ReadInt32(section, at + 12);
                p.SeasonMean[c] = LittleEndian.ReadInt32(section, at + 16);
                p.SeasonStd[c] = LittleEndian.ReadInt32(section, at + 20);
            }
            p.Validate();
            return p;
        }

        private static void Check(bool condition, string message, int offset)
        {
            if (!condition) throw new ModelFormatException(message.IndexOf("detector section") == 0 ? message : "detector section: " + message, offset);
        }
    }
}
