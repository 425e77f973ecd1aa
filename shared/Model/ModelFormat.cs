namespace Embedded.Shared.Model
{
    /// <summary>Constants and limits of the binary model format (docs/FORMAT.md), shared by reader and writer.</summary>
    public static class ModelFormat
    {
        /// <summary>"RNNQ" read as a little-endian uint32.</summary>
        public const uint Magic = 0x514E4E52u;
        public const int Version = 1;
        public const int HeaderSize = 48;
        public const int CrcSize = 4;
        /// <summary>Bytes of one row scale: uint16 multiplier, uint8 shift, uint8 reserved.</summary>
        public const int ScaleSize = 4;
        /// <summary>Bytes of one input-normalisation entry: int32 mean, uint16 multiplier, uint8 shift, uint8 reserved.</summary>
        public const int NormalisationEntrySize = 8;

        public const int MaxLayers = 8;
        /// <summary>Max width of any matrix row (input features, vocabulary, hidden size): keeps int8 sums inside int32.</summary>
        public const int MaxWidth = 512;
        public const int MaxOutputs = 1024;
        public const int MaxInputs = 512;
        public const int MaxFracBits = 24;
        public const int MaxNormalisedFracBits = 15;
        public const int MaxMultiplier = 32767;
        public const int MaxShift = 62;
        public const int MaxDetectorSection = 65536;
        public const int MaxGoldenSteps = 1024;
        /// <summary>
        /// Largest image the limits above allow (LSTM, 16-bit weights, every count at its maximum): about
        /// 41 MB. A file above it cannot be a model, so readers refuse it before reading it.
        /// </summary>
        public const int MaxImageLength = HeaderSize + NormalisationEntrySize * MaxInputs + 2 * MaxWidth
            + MaxLayers * (2 * 4 * MaxWidth * (ScaleSize + MaxWidth * 2) + 8 * 4 * MaxWidth)
            + MaxOutputs * (ScaleSize + MaxWidth * 2 + 4 + 1) + MaxDetectorSection + 4 * MaxGoldenSteps * (MaxInputs + MaxOutputs) + CrcSize;

        /// <summary>Largest |bias| in Q12 (65536.0): far past where every activation saturates.</summary>
        public const int MaxBias = 1 << 28;

        /// <summary>Gate count of a cell: rows per hidden unit in each recurrent matrix.</summary>
        public static int Gates(CellType cell)
        {
            if (cell == CellType.Lstm) return 4;
            if (cell == CellType.Gru) return 3;
            return 1;
        }
    }
}
