using System;

namespace Embedded.Shared.Model
{
    /// <summary>
    /// A parsed, fully validated binary model (docs/FORMAT.md). Parsing checks every length and count
    /// before allocating, and the CRC-32; the only exception it throws is <see cref="ModelFormatException"/>.
    /// CONTRACT STUB: owned by the runtime work (issue 3); signatures here are what other areas code against.
    /// </summary>
    public sealed class ModelImage
    {
        /// <summary>Parses and validates a model image. Throws <see cref="ModelFormatException"/> on any defect.</summary>
        public static ModelImage Parse(byte[] image)
        {
            throw new NotImplementedException("ModelImage.Parse");
        }

        public CellType Cell { get; private set; }
        public TaskKind Task { get; private set; }
        public int InputCount { get; private set; }
        public int OutputCount { get; private set; }
        public int LayerCount { get; private set; }
        public int HiddenSize { get; private set; }
        /// <summary>8 or 16.</summary>
        public int WeightBits { get; private set; }
        /// <summary>Fraction bits of the fixed-point values passed to and returned from Predictor.Step.</summary>
        public int InputFracBits { get; private set; }
        public int OutputFracBits { get; private set; }
        /// <summary>Nominal sample period of the stream the model was trained on, in milliseconds (0 = unknown).</summary>
        public int SamplePeriodMs { get; private set; }
        /// <summary>Detector parameters section, opaque to the model reader (parsed by Detection).</summary>
        public byte[] DetectorSection { get; private set; } = new byte[0];
        public int GoldenVectorCount { get; private set; }
        /// <summary>Total size of the image in bytes.</summary>
        public int Length { get; private set; }
        /// <summary>CRC-32 stored in (and verified against) the image.</summary>
        public uint Crc { get; private set; }
    }
}
