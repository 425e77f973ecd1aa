namespace Embedded.Shared.Model
{
    /// <summary>
    /// A parsed, fully validated binary model (docs/FORMAT.md). Parsing checks every length and count
    /// before allocating, and the CRC-32; the only exception it throws is <see cref="ModelFormatException"/>.
    /// </summary>
    public sealed class ModelImage
    {
        private ModelImage()
        {
        }

        /// <summary>Parses and validates a model image. Throws <see cref="ModelFormatException"/> on any defect.</summary>
        public static ModelImage Parse(byte[] image)
        {
            if (image == null) throw new ModelFormatException("model image is null", 0);
            int minimum = ModelFormat.HeaderSize + ModelFormat.CrcSize;
            if (image.Length < minimum)
            {
                throw new ModelFormatException("model image is " + image.Length.ToString() + " bytes, shorter than the " + minimum.ToString() + "-byte minimum", 0);
            }

            ModelImage model = new ModelImage();
            ImageReader reader = new ImageReader(image, 0);
            model.ReadHeader(reader, image);
            model.ReadBody(reader, image);
            return model;
        }

        private void ReadHeader(ImageReader reader, byte[] image)
        {
            uint magic = reader.ReadUInt32("magic");
            if (magic != ModelFormat.Magic) throw new ModelFormatException("bad magic: not a model file (expected \"RNNQ\")", 0);
            reader.ReadUInt16InRange(ModelFormat.Version, ModelFormat.Version, "format version");
            reader.ReadUInt16InRange(ModelFormat.HeaderSize, ModelFormat.HeaderSize, "header size");
            int declared = reader.ReadInt32("total length");
            if (declared != image.Length)
            {
                throw new ModelFormatException("header declares " + declared.ToString() + " bytes but the image has " + image.Length.ToString(), 8);
            }
            Length = image.Length;

            // CRC before field validation: a damaged transfer is reported as such, not as a random field error.
            int crcOffset = image.Length - ModelFormat.CrcSize;
            uint stored = LittleEndian.ReadUInt32(image, crcOffset);
            uint computed = Crc32.Compute(image, 0, crcOffset);
            if (stored != computed)
            {
                throw new ModelFormatException("CRC-32 mismatch: stored " + Hex.Format32(stored) + ", computed " + Hex.Format32(computed), crcOffset);
            }
            Crc = stored;

            Cell = (CellType)reader.ReadUInt8InRange(1, 3, "cell type");
            Task = (TaskKind)reader.ReadUInt8InRange(1, 3, "task");
            int bitsOffset = reader.Position;
            WeightBits = reader.ReadByte("weight bits");
            if (WeightBits != 8 && WeightBits != 16)
            {
                throw new ModelFormatException("weight bits is " + WeightBits.ToString() + ", must be 8 or 16", bitsOffset);
            }
            LayerCount = reader.ReadUInt8InRange(1, ModelFormat.MaxLayers, "layer count");
            bool symbols = Task == TaskKind.NextSymbol;
            InputCount = reader.ReadUInt16InRange(1, symbols ? 1 : ModelFormat.MaxInputs, "input count");
            HiddenSize = reader.ReadUInt16InRange(1, ModelFormat.MaxWidth, "hidden size");
            OutputCount = reader.ReadUInt16InRange(1, ModelFormat.MaxOutputs, "output count");
            InputFracBits = reader.ReadUInt8InRange(0, ModelFormat.MaxFracBits, "input frac bits");
            OutputFracBits = reader.ReadUInt8InRange(0, ModelFormat.MaxFracBits, "output frac bits");
            NormalisedFracBits = reader.ReadUInt8InRange(0, ModelFormat.MaxNormalisedFracBits, "normalised input frac bits");
            // Byte 25: forecast mode. 0: outputs are the forecast values; 1: a table after the head offsets says
            // per output whether it is a change, added to the step's own input of the same index (so an
            // untrained head forecasts "next = last" there).
            ForecastsChange = reader.ReadUInt8InRange(0, Task == TaskKind.Forecast ? 1 : 0, "forecast mode") == 1;
            int vocabulary = reader.ReadUInt16InRange(symbols ? 1 : 0, symbols ? ModelFormat.MaxWidth : 0, "vocabulary length");
            SamplePeriodMs = reader.ReadInt32InRange(0, int.MaxValue, "sample period");
            int detectorLength = reader.ReadInt32InRange(0, ModelFormat.MaxDetectorSection, "detector section length");
            GoldenVectorCount = reader.ReadUInt16InRange(0, ModelFormat.MaxGoldenSteps, "golden step count");
            reader.ReadUInt16InRange(0, 0, "reserved bytes 38-39");
            reader.ReadInt32InRange(0, 0, "reserved bytes 40-43");
            reader.ReadInt32InRange(0, 0, "reserved bytes 44-47");

            FirstLayerWidth = symbols ? vocabulary : InputCount;
            _vocabularyLength = vocabulary;
            _detectorLength = detectorLength;

            long expected = ExpectedLength();
            if (expected != image.Length)
            {
                throw new ModelFormatException("header fields describe a " + expected.ToString() + "-byte image but it has " + image.Length.ToString() + " bytes", ModelFormat.HeaderSize);
            }
        }

        private int _vocabularyLength;
        private int _detectorLength;

        /// <summary>Image size implied by the header; long so that no combination of fields can overflow.</summary>
        private long ExpectedLength()
        {
            long weightBytes = WeightBits / 8;
            long rows = (long)ModelFormat.Gates(Cell) * HiddenSize;
            long total = ModelFormat.HeaderSize;
            if (Task != TaskKind.NextSymbol) total += (long)InputCount * ModelFormat.NormalisationEntrySize;
            total += 2L * _vocabularyLength;
            for (int layer = 0; layer < LayerCount; layer++)
            {
                long width = layer == 0 ? FirstLayerWidth : HiddenSize;
                total += rows * (ModelFormat.ScaleSize + width * weightBytes);
                total += rows * (ModelFormat.ScaleSize + HiddenSize * weightBytes);
                total += rows * 8;
            }
            total += (long)OutputCount * (ModelFormat.ScaleSize + HiddenSize * weightBytes + 4);
            if (ForecastsChange) total += OutputCount;
            total += _detectorLength;
            total += (long)GoldenVectorCount * (InputCount + OutputCount) * 4;
            total += ModelFormat.CrcSize;
            return total;
        }

        private void ReadBody(ImageReader reader, byte[] image)
        {
            if (Task != TaskKind.NextSymbol)
            {
                InputMeans = new int[InputCount];
                InputMultipliers = new int[InputCount];
                InputShifts = new int[InputCount];
                for (int i = 0; i < InputCount; i++)
                {
                    InputMeans[i] = reader.ReadInt32("input mean");
                    InputMultipliers[i] = reader.ReadUInt16InRange(0, ModelFormat.MaxMultiplier, "input normalisation multiplier");
                    InputShifts[i] = reader.ReadUInt8InRange(0, ModelFormat.MaxShift, "input normalisation shift");
                    reader.ReadUInt8InRange(0, 0, "input normalisation reserved byte");
                }
            }
            else
            {
                InputMeans = new int[0];
                InputMultipliers = new int[0];
                InputShifts = new int[0];
            }

            Vocabulary = new char[_vocabularyLength];
            for (int i = 0; i < _vocabularyLength; i++)
            {
                Vocabulary[i] = (char)reader.ReadUInt16("vocabulary");
            }

            int rows = ModelFormat.Gates(Cell) * HiddenSize;
            Layers = new RecurrentLayerParameters[LayerCount];
            for (int layer = 0; layer < LayerCount; layer++)
            {
                int width = layer == 0 ? FirstLayerWidth : HiddenSize;
                string name = "layer " + layer.ToString();
                QuantizedMatrix input = ReadMatrix(reader, rows, width, name + " input weights");
                QuantizedMatrix recurrent = ReadMatrix(reader, rows, HiddenSize, name + " recurrent weights");
                int[] inputBias = ReadBiases(reader, rows, name + " input bias");
                int[] recurrentBias = ReadBiases(reader, rows, name + " recurrent bias");
                Layers[layer] = new RecurrentLayerParameters(input, recurrent, inputBias, recurrentBias);
            }

            Head = ReadMatrix(reader, OutputCount, HiddenSize, "head weights");
            HeadOffsets = new int[OutputCount];
            for (int i = 0; i < OutputCount; i++) HeadOffsets[i] = reader.ReadInt32("head offset");

            ChangeOutputs = new bool[ForecastsChange ? OutputCount : 0];
            for (int i = 0; i < ChangeOutputs.Length; i++)
            {
                int at = reader.Position;
                int flag = reader.ReadUInt8InRange(0, 1, "change flag");
                if (flag == 1 && i >= InputCount)
                {
                    throw new ModelFormatException("output " + i.ToString() + " is a change but there are only "
                        + InputCount.ToString() + " inputs to add it to", at);
                }
                ChangeOutputs[i] = flag == 1;
            }

            DetectorSection = new byte[_detectorLength];
            reader.ReadBytes(DetectorSection, "detector section");

            GoldenInputs = new int[GoldenVectorCount * InputCount];
            GoldenOutputs = new int[GoldenVectorCount * OutputCount];
            for (int step = 0; step < GoldenVectorCount; step++)
            {
                for (int i = 0; i < InputCount; i++)
                {
                    GoldenInputs[step * InputCount + i] = reader.ReadInt32("golden input");
                }
                for (int o = 0; o < OutputCount; o++)
                {
                    GoldenOutputs[step * OutputCount + o] = reader.ReadInt32("golden output");
                }
            }

            if (reader.Position != image.Length - ModelFormat.CrcSize)
            {
                throw new ModelFormatException("sections end before the CRC", reader.Position);
            }
        }

        private QuantizedMatrix ReadMatrix(ImageReader reader, int rows, int cols, string name)
        {
            int[] multipliers = new int[rows];
            int[] shifts = new int[rows];
            for (int r = 0; r < rows; r++)
            {
                multipliers[r] = reader.ReadUInt16InRange(0, ModelFormat.MaxMultiplier, name + " row multiplier");
                shifts[r] = reader.ReadUInt8InRange(0, ModelFormat.MaxShift, name + " row shift");
                reader.ReadUInt8InRange(0, 0, name + " row scale reserved byte");
            }
            int count = rows * cols;
            if (WeightBits == 8)
            {
                sbyte[] weights = new sbyte[count];
                for (int i = 0; i < count; i++)
                {
                    // -128 is excluded so that a weight's magnitude always fits 7 bits (vector kernels rely on it).
                    weights[i] = (sbyte)reader.ReadChecked((sbyte)reader.ReadByte(name), reader.Position - 1, -127, 127, name);
                }
                return new QuantizedMatrix(rows, cols, weights, null, multipliers, shifts);
            }
            short[] wide = new short[count];
            for (int i = 0; i < count; i++)
            {
                wide[i] = (short)reader.ReadChecked(reader.ReadInt16(name), reader.Position - 2, -32767, 32767, name);
            }
            return new QuantizedMatrix(rows, cols, null, wide, multipliers, shifts);
        }

        private static int[] ReadBiases(ImageReader reader, int count, string name)
        {
            int[] biases = new int[count];
            for (int i = 0; i < count; i++)
            {
                biases[i] = reader.ReadInt32InRange(-ModelFormat.MaxBias, ModelFormat.MaxBias, name);
            }
            return biases;
        }

        public CellType Cell { get; private set; }
        public TaskKind Task { get; private set; }
        /// <summary>Values passed to Predictor.Step per sample (1 for NextSymbol: the symbol index).</summary>
        public int InputCount { get; private set; }
        public int OutputCount { get; private set; }
        public int LayerCount { get; private set; }
        public int HiddenSize { get; private set; }
        /// <summary>8 or 16.</summary>
        public int WeightBits { get; private set; }
        /// <summary>Fraction bits of the fixed-point values passed to and returned from Predictor.Step.</summary>
        public int InputFracBits { get; private set; }
        public int OutputFracBits { get; private set; }

        /// <summary>
        /// A forecaster with outputs that are changes from the step's input (header byte 25 = 1; see
        /// <see cref="ChangeOutputs"/>). Only for Forecast models.
        /// </summary>
        public bool ForecastsChange { get; private set; }

        /// <summary>
        /// Per output (empty unless <see cref="ForecastsChange"/>): true where the head gives the change and
        /// Predictor adds input k (rescaled to OutputFracBits) to output k.
        /// </summary>
        public bool[] ChangeOutputs { get; private set; } = new bool[0];
        /// <summary>Fraction bits of the normalised int16 input vector fed to the first layer.</summary>
        public int NormalisedFracBits { get; private set; }
        /// <summary>Width of the first layer's input: InputCount, or the vocabulary size for NextSymbol.</summary>
        public int FirstLayerWidth { get; private set; }
        /// <summary>Nominal sample period of the stream the model was trained on, in milliseconds (0 = unknown).</summary>
        public int SamplePeriodMs { get; private set; }
        /// <summary>Detector parameters section, opaque to the model reader (parsed by Detection).</summary>
        public byte[] DetectorSection { get; private set; } = new byte[0];
        /// <summary>Number of golden steps (run in sequence from a reset predictor).</summary>
        public int GoldenVectorCount { get; private set; }
        /// <summary>Total size of the image in bytes.</summary>
        public int Length { get; private set; }
        /// <summary>CRC-32 stored in (and verified against) the image.</summary>
        public uint Crc { get; private set; }

        /// <summary>Symbols of a NextSymbol model (UTF-16 code units), index = symbol id; empty otherwise.</summary>
        public char[] Vocabulary { get; private set; } = new char[0];
        /// <summary>Per input: mean in InputFracBits fixed point.</summary>
        public int[] InputMeans { get; private set; } = new int[0];
        /// <summary>Per input: (x - mean) * multiplier / 2^shift gives the normalised value in NormalisedFracBits.</summary>
        public int[] InputMultipliers { get; private set; } = new int[0];
        public int[] InputShifts { get; private set; } = new int[0];
        public RecurrentLayerParameters[] Layers { get; private set; } = new RecurrentLayerParameters[0];
        /// <summary>Dense head: rows = outputs, cols = hidden; scales map the Q15-state sums straight to OutputFracBits.</summary>
        public QuantizedMatrix Head { get; private set; }
        /// <summary>Per output: de-normalised bias (bias * std + mean) in OutputFracBits.</summary>
        public int[] HeadOffsets { get; private set; } = new int[0];
        /// <summary>Golden inputs, GoldenVectorCount rows of InputCount values.</summary>
        public int[] GoldenInputs { get; private set; } = new int[0];
        /// <summary>Expected outputs, GoldenVectorCount rows of OutputCount values.</summary>
        public int[] GoldenOutputs { get; private set; } = new int[0];

        /// <summary>Index of a symbol in the vocabulary, or -1.</summary>
        public int SymbolOf(char symbol)
        {
            char[] vocabulary = Vocabulary;
            for (int i = 0; i < vocabulary.Length; i++)
            {
                if (vocabulary[i] == symbol) return i;
            }
            return -1;
        }
    }
}
