using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Payloads of record mode (docs/PROTOCOL.md, "Record mode"): the device streams every sample's raw
    /// features in <see cref="MessageType.Sample"/> frames, framed and CRC-checked like the flashing
    /// protocol. Values travel as signed Q15.16 fixed point (value * 65536, rounded), so neither end needs
    /// floating-point bit tricks; |value| ≥ 32768 saturates (flagged) and NaN is sent as <see cref="Missing"/>.
    /// Writers fill a caller's buffer and allocate nothing (the device calls them in its sample path).
    /// </summary>
    public static class RecordProtocol
    {
        /// <summary>Fraction bits of the values in a Sample frame.</summary>
        public const int FracBits = 16;

        /// <summary>Value sent for NaN (a reading that has no value).</summary>
        public const int Missing = int.MinValue;

        /// <summary>Sample flag: at least one value was outside ±32768 and was clamped.</summary>
        public const byte FlagSaturated = 1;

        /// <summary>Largest feature count a Sample frame carries (RecordInfo with that many longest names still fits a frame).</summary>
        public const int MaxFeatures = 24;

        /// <summary>Longest feature name in RecordInfo (ASCII bytes).</summary>
        public const int MaxNameLength = 32;

        /// <summary>sample:u32, timeMs:u32, skipped:u32, flags:u8, count:u8.</summary>
        public const int SampleHeaderSize = 14;

        /// <summary>The device stops recording when it has heard no valid frame for this long (the PC repeats RecordStart as a keep-alive).</summary>
        public const int IdleTimeoutMs = 10000;

        /// <summary>RecordStart payload: version:u8. Returns the payload length.</summary>
        public static int WriteStart(byte[] payload)
        {
            payload[0] = ProtocolConstants.Version;
            return 1;
        }

        /// <summary>
        /// RecordInfo payload: version:u8, featureCount:u8, periodMs:u16, fracBits:u8, then per feature
        /// nameLength:u8 and the name's ASCII bytes (other characters become '?', names cut at
        /// <see cref="MaxNameLength"/>). Returns the payload length.
        /// </summary>
        public static int WriteInfo(byte[] payload, int periodMs, string[] names, int count)
        {
            payload[0] = ProtocolConstants.Version;
            payload[1] = (byte)count;
            LittleEndian.WriteUInt16(payload, 2, periodMs < 0 ? 0 : (periodMs > 0xFFFF ? 0xFFFF : periodMs));
            payload[4] = FracBits;
            int at = 5;
            for (int i = 0; i < count; i++)
            {
                string name = names[i];
                int length = name.Length > MaxNameLength ? MaxNameLength : name.Length;
                payload[at++] = (byte)length;
                for (int c = 0; c < length; c++)
                {
                    char ch = name[c];
                    payload[at++] = ch > ' ' && ch < 127 && ch != ',' && ch != '"' ? (byte)ch : (byte)'?';
                }
            }
            return at;
        }

        /// <summary>Sample payload: sample:u32, timeMs:u32, skipped:u32, flags:u8, count:u8, values:count × i32 (Q15.16). Returns the payload length.</summary>
        public static int WriteSample(byte[] payload, uint sample, uint timeMs, uint skipped, double[] values, int count)
        {
            LittleEndian.WriteUInt32(payload, 0, sample);
            LittleEndian.WriteUInt32(payload, 4, timeMs);
            LittleEndian.WriteUInt32(payload, 8, skipped);
            byte flags = 0;
            int at = SampleHeaderSize;
            for (int i = 0; i < count; i++)
            {
                double v = values[i];
                int q;
                if (double.IsNaN(v))
                {
                    q = Missing;
                }
                else if (v >= 32767.99998)
                {
                    q = int.MaxValue;
                    flags |= FlagSaturated;
                }
                else if (v <= -32767.99998)
                {
                    q = -int.MaxValue;
                    flags |= FlagSaturated;
                }
                else
                {
                    double scaled = v * 65536.0; // |scaled| < 2^31 - 1 here; nanoFramework's mscorlib has no Math
                    q = (int)(scaled >= 0 ? scaled + 0.5 : scaled - 0.5);
                }
                LittleEndian.WriteInt32(payload, at, q);
                at += 4;
            }
            payload[12] = flags;
            payload[13] = (byte)count;
            return at;
        }

        /// <summary>Payload length of a Sample frame with <paramref name="count"/> values.</summary>
        public static int SampleLength(int count)
        {
            return SampleHeaderSize + 4 * count;
        }

        public static uint ReadSampleNumber(byte[] payload)
        {
            return LittleEndian.ReadUInt32(payload, 0);
        }

        public static uint ReadTimeMs(byte[] payload)
        {
            return LittleEndian.ReadUInt32(payload, 4);
        }

        public static uint ReadSkipped(byte[] payload)
        {
            return LittleEndian.ReadUInt32(payload, 8);
        }

        public static byte ReadFlags(byte[] payload)
        {
            return payload[12];
        }

        public static int ReadCount(byte[] payload)
        {
            return payload[13];
        }

        /// <summary>The raw Q15.16 value of feature <paramref name="index"/>.</summary>
        public static int ReadRawValue(byte[] payload, int index)
        {
            return LittleEndian.ReadInt32(payload, SampleHeaderSize + 4 * index);
        }

        /// <summary>Feature <paramref name="index"/> in its own units; NaN for <see cref="Missing"/>.</summary>
        public static double ReadValue(byte[] payload, int index)
        {
            int q = ReadRawValue(payload, index);
            return q == Missing ? double.NaN : q / 65536.0;
        }
    }
}
