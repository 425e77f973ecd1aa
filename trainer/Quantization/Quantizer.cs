using Embedded.Shared;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;
using Embedded.Trainer.Detection;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Quantization;

/// <summary>
/// Post-training quantisation: FloatModel + calibration rows -> model.bin bytes with golden vectors and a
/// report. Weights get a symmetric scale per output row; I/O fixed-point formats come from the ranges
/// seen on the calibration data; the detector is calibrated on the quantised predictor's own forecasts.
/// </summary>
public static class Quantizer
{
    private const int PreFracBits = Activation.PreFracBits;
    private const int StateFracBits = 15;

    public static QuantizedModel Quantize(FloatModel model, double[][] calibrationRows, QuantizeOptions? options = null)
    {
        options ??= new QuantizeOptions();
        Validate(model, calibrationRows, options);
        bool symbols = model.Task == TaskKind.NextSymbol;

        // 1. Float reference over the calibration data: the yardstick and the output range.
        var reference = new FloatReference(model);
        var floatOutputs = new double[calibrationRows.Length][];
        for (int t = 0; t < calibrationRows.Length; t++) floatOutputs[t] = reference.Step(calibrationRows[t]);
        double[][]? targets = options.Targets ?? DeriveTargets(model, calibrationRows);

        // 2. Fixed-point formats.
        int inputFrac = symbols ? 0 : FracBitsFor(MaxAbs(calibrationRows, model.InputMean));
        int normalisedFrac = symbols ? 14 : NormalisedFracBits(model, calibrationRows);
        double outputRange = MaxAbs(floatOutputs, null);
        if (targets != null) outputRange = Math.Max(outputRange, MaxAbs(targets, null));
        for (int o = 0; o < model.OutputSize && model.Task == TaskKind.Forecast; o++)
        {
            outputRange = Math.Max(outputRange, Math.Abs(At(model.TargetMean, o, 0)) + 4 * Math.Abs(At(model.TargetStd, o, 1)));
        }
        int outputFrac = FracBitsFor(outputRange);

        // 3. Integer content.
        var content = BuildContent(model, options.Bits, inputFrac, outputFrac, normalisedFrac);

        // 4. Run the quantised predictor on the calibration data.
        var image = ModelImage.Parse(ModelWriter.Write(content));
        var fixedOutputs = RunFixed(image, calibrationRows, inputFrac);

        // 5. Detector section from the quantised forecasts.
        if (options.CalibrateDetector && model.Task == TaskKind.Forecast && targets != null)
        {
            var actual = new List<int[]>();
            var predicted = new List<int[]>();
            for (int t = 0; t < targets.Length; t++)
            {
                if (targets[t] == null) continue;
                actual.Add(targets[t].Select(v => FixedIo.ToFixed(v, outputFrac)).ToArray());
                predicted.Add(fixedOutputs[t]);
            }
            content.DetectorSection = DetectorCalibration.Calibrate(actual.ToArray(), predicted.ToArray(), outputFrac, options.Detector) ?? [];
        }

        // 6. Golden vectors: the start of the calibration stream, then extremes that exercise saturation.
        AddGoldenVectors(content, image, calibrationRows, inputFrac, options.GoldenSteps);
        byte[] bytes = ModelWriter.Write(content);
        var final = ModelImage.Parse(bytes);
        if (Predictor.CountGoldenMismatches(final) != 0) throw new InvalidOperationException("internal error: golden vectors do not reproduce");

        // 7. Report.
        double sumSq = 0, maxAbs = 0;
        long count = 0;
        double fixedSq = 0, floatSq = 0;
        long targetCount = 0;
        for (int t = 0; t < calibrationRows.Length; t++)
        {
            for (int o = 0; o < model.OutputSize; o++)
            {
                double fx = FixedIo.ToDouble(fixedOutputs[t][o], outputFrac);
                double fl = floatOutputs[t][o];
                double d = fx - fl;
                sumSq += d * d;
                maxAbs = Math.Max(maxAbs, Math.Abs(d));
                count++;
                if (targets?[t] != null)
                {
                    double truth = targets[t][o];
                    fixedSq += (fx - truth) * (fx - truth);
                    floatSq += (fl - truth) * (fl - truth);
                    targetCount++;
                }
            }
        }
        int goldenBytes = content.GoldenSteps * (content.InputCount + content.OutputCount) * 4;
        var report = new QuantizeReport
        {
            SizeBytes = bytes.Length,
            ParameterBytes = ParameterBytes(final),
            GoldenBytes = goldenBytes,
            Bits = options.Bits,
            Cell = model.Cell.ToString(),
            Task = model.Task.ToString(),
            CalibrationRows = calibrationRows.Length,
            InputFracBits = inputFrac,
            OutputFracBits = outputFrac,
            NormalisedFracBits = normalisedFrac,
            RmseVsFloat = count > 0 ? Math.Sqrt(sumSq / count) : 0,
            MaxAbsVsFloat = maxAbs,
            RmseFixed = targetCount > 0 ? Math.Sqrt(fixedSq / targetCount) : null,
            RmseFloat = targetCount > 0 ? Math.Sqrt(floatSq / targetCount) : null,
            DetectorBytes = content.DetectorSection.Length,
            Crc32 = final.Crc.ToString("x8"),
        };
        return new QuantizedModel(bytes, report);
    }

    /// <summary>
    /// Bytes of the stored parameters themselves: weights at their width, int32 biases and offsets,
    /// 4-byte row scales and 8-byte input-normalisation entries. The rest of an image is the 48-byte
    /// header, vocabulary, detector section, golden vectors and CRC.
    /// </summary>
    public static int ParameterBytes(ModelImage image)
    {
        int weightBytes = image.WeightBits / 8;
        int total = image.InputMeans.Length * ModelFormat.NormalisationEntrySize;
        foreach (var layer in image.Layers)
        {
            total += MatrixBytes(layer.Input, weightBytes) + MatrixBytes(layer.Recurrent, weightBytes);
            total += 4 * (layer.InputBias.Length + layer.RecurrentBias.Length);
        }
        total += MatrixBytes(image.Head, weightBytes) + 4 * image.HeadOffsets.Length;
        return total;
    }

    private static int MatrixBytes(QuantizedMatrix m, int weightBytes) => m.Rows * (ModelFormat.ScaleSize + m.Cols * weightBytes);

    /// <summary>Runs the quantised predictor from reset over raw rows; returns fixed-point outputs.</summary>
    public static int[][] RunFixed(ModelImage image, double[][] rows, int inputFrac)
    {
        var predictor = new Predictor(image);
        var input = new int[image.InputCount];
        var outputs = new int[rows.Length][];
        for (int t = 0; t < rows.Length; t++)
        {
            ToFixedInput(image, rows[t], inputFrac, input);
            outputs[t] = new int[image.OutputCount];
            predictor.Step(input, outputs[t]);
        }
        return outputs;
    }

    private static void ToFixedInput(ModelImage image, double[] row, int inputFrac, int[] input)
    {
        if (image.Task == TaskKind.NextSymbol)
        {
            input[0] = (int)row[0];
            return;
        }
        for (int i = 0; i < input.Length; i++) input[i] = FixedIo.ToFixed(row[i], inputFrac);
    }

    private static void AddGoldenVectors(ModelContent content, ModelImage image, double[][] rows, int inputFrac, int steps)
    {
        steps = Math.Clamp(steps, 0, ModelFormat.MaxGoldenSteps);
        int inputs = content.InputCount;
        var goldenInputs = new List<int>();
        int fromData = Math.Min(rows.Length, Math.Max(0, steps - 4));
        var input = new int[inputs];
        for (int t = 0; t < fromData; t++)
        {
            ToFixedInput(image, rows[t], inputFrac, input);
            goldenInputs.AddRange(input);
        }
        bool symbols = content.Task == TaskKind.NextSymbol;
        int[] extremes = symbols ? [-1, content.Vocabulary.Length, 0, content.Vocabulary.Length - 1] : [int.MaxValue, int.MinValue, 0, int.MaxValue];
        for (int e = 0; e < extremes.Length && goldenInputs.Count / inputs < steps; e++)
        {
            for (int i = 0; i < inputs; i++) goldenInputs.Add(symbols ? extremes[e] : (i % 2 == 0 ? extremes[e] : -extremes[e] - 1));
        }
        content.GoldenInputs = goldenInputs.ToArray();
        int count = content.GoldenInputs.Length / inputs;
        var predictor = new Predictor(image);
        var outputs = new int[count * content.OutputCount];
        var output = new int[content.OutputCount];
        for (int s = 0; s < count; s++)
        {
            Array.Copy(content.GoldenInputs, s * inputs, input, 0, inputs);
            predictor.Step(input, output);
            Array.Copy(output, 0, outputs, s * content.OutputCount, content.OutputCount);
        }
        content.GoldenOutputs = outputs;
    }

    /// <summary>Quantises the weights and folds every real scale into integer multipliers and shifts.</summary>
    public static ModelContent BuildContent(FloatModel model, int bits, int inputFrac, int outputFrac, int normalisedFrac)
    {
        bool symbols = model.Task == TaskKind.NextSymbol;
        int hidden = model.HiddenSize;
        var content = new ModelContent
        {
            Cell = model.Cell,
            Task = model.Task,
            WeightBits = bits,
            InputCount = symbols ? 1 : model.InputSize,
            HiddenSize = hidden,
            OutputCount = model.OutputSize,
            InputFracBits = inputFrac,
            OutputFracBits = outputFrac,
            NormalisedFracBits = normalisedFrac,
            ChangeOutputs = model.PredictsChange && model.Task == TaskKind.Forecast ? (bool[])model.ChangeOutputs.Clone() : [],
            SamplePeriodMs = (int)Math.Clamp(Math.Round(model.SamplePeriodSeconds * 1000), 0, int.MaxValue),
            Vocabulary = symbols ? PadVocabulary(model.Vocabulary, model.InputSize) : [],
        };
        if (!symbols)
        {
            content.InputMeans = new int[model.InputSize];
            content.InputMultipliers = new int[model.InputSize];
            content.InputShifts = new int[model.InputSize];
            for (int i = 0; i < model.InputSize; i++)
            {
                double mean = At(model.InputMean, i, 0), std = At(model.InputStd, i, 1);
                if (!(std > 0)) throw new InvalidOperationException($"input {i}: standard deviation {std} must be positive");
                content.InputMeans[i] = FixedIo.ToFixed(mean, inputFrac);
                var scale = FixedScale.From(Math.Pow(2, normalisedFrac - inputFrac) / std, $"input {i} normalisation");
                content.InputMultipliers[i] = scale.Multiplier;
                content.InputShifts[i] = scale.Shift;
            }
        }
        content.Layers = new RecurrentLayerParameters[model.Layers];
        for (int k = 0; k < model.Layers; k++)
        {
            int inFrac = k == 0 ? normalisedFrac : StateFracBits;
            var input = QuantizeMatrix(model[FloatModel.RnnName("weight_ih", k)], bits, r => Math.Pow(2, PreFracBits - inFrac), $"layer {k} input weights");
            var recurrent = QuantizeMatrix(model[FloatModel.RnnName("weight_hh", k)], bits, r => Math.Pow(2, PreFracBits - StateFracBits), $"layer {k} recurrent weights");
            content.Layers[k] = new RecurrentLayerParameters(input, recurrent,
                QuantizeBias(model[FloatModel.RnnName("bias_ih", k)]), QuantizeBias(model[FloatModel.RnnName("bias_hh", k)]));
        }
        bool forecast = model.Task == TaskKind.Forecast;
        double OutputStd(int o) => forecast ? At(model.TargetStd, o, 1) : 1;
        double OutputMean(int o) => forecast ? At(model.TargetMean, o, 0) : 0;
        content.Head = QuantizeMatrix(model["head.weight"], bits, o => OutputStd(o) * Math.Pow(2, outputFrac - StateFracBits), "head weights");
        var headBias = model["head.bias"].Data;
        content.HeadOffsets = new int[model.OutputSize];
        for (int o = 0; o < model.OutputSize; o++) content.HeadOffsets[o] = FixedIo.ToFixed(headBias[o] * OutputStd(o) + OutputMean(o), outputFrac);
        return content;
    }

    private static char[] PadVocabulary(string? vocabulary, int size)
    {
        var chars = new char[size];
        for (int i = 0; i < size; i++) chars[i] = vocabulary != null && i < vocabulary.Length ? vocabulary[i] : '\0';
        return chars;
    }

    /// <summary>
    /// Symmetric per-row quantisation: q = round(w / s), s = max|w_row| / qmax. The stored row scale is
    /// s * rowFactor(r): the factor maps (weight units * input fixed point) into the consumer's fixed point.
    /// </summary>
    public static QuantizedMatrix QuantizeMatrix(Tensor tensor, int bits, Func<int, double> rowFactor, string what)
    {
        int rows = tensor.Rows, cols = tensor.Cols;
        int qmax = bits == 8 ? 127 : 32767;
        var w8 = bits == 8 ? new sbyte[rows * cols] : null;
        var w16 = bits == 8 ? null : new short[rows * cols];
        var multipliers = new int[rows];
        var shifts = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            double maxAbs = 0;
            for (int c = 0; c < cols; c++) maxAbs = Math.Max(maxAbs, Math.Abs(tensor.Data[r * cols + c]));
            if (double.IsNaN(maxAbs) || double.IsInfinity(maxAbs)) throw new InvalidOperationException($"{what}: row {r} holds a non-finite weight");
            double step = maxAbs > 0 ? maxAbs / qmax : 1;
            var scale = FixedScale.From(maxAbs > 0 ? step * rowFactor(r) : 0, $"{what} row {r}");
            multipliers[r] = scale.Multiplier;
            shifts[r] = scale.Shift;
            for (int c = 0; c < cols; c++)
            {
                int q = (int)Math.Clamp(Math.Round(tensor.Data[r * cols + c] / step), -qmax, qmax);
                if (w8 != null) w8[r * cols + c] = (sbyte)q;
                else w16![r * cols + c] = (short)q;
            }
        }
        return new QuantizedMatrix(rows, cols, w8, w16, multipliers, shifts);
    }

    private static int[] QuantizeBias(Tensor bias)
    {
        var q = new int[bias.Data.Length];
        for (int i = 0; i < q.Length; i++)
        {
            double v = Math.Round(bias.Data[i] * (1 << PreFracBits));
            q[i] = (int)Math.Clamp(double.IsNaN(v) ? 0 : v, -ModelFormat.MaxBias, ModelFormat.MaxBias);
        }
        return q;
    }

    /// <summary>Fraction bits that leave 4x headroom above <paramref name="maxAbs"/> in an int32.</summary>
    public static int FracBitsFor(double maxAbs)
    {
        if (!(maxAbs > 0) || double.IsInfinity(maxAbs)) return maxAbs > 0 ? 0 : ModelFormat.MaxFracBits;
        int bits = (int)Math.Floor(29 - Math.Log2(maxAbs));
        return Math.Clamp(bits, 0, ModelFormat.MaxFracBits);
    }

    /// <summary>Largest normalised input seen, with 50 % headroom, fitted into int16.</summary>
    private static int NormalisedFracBits(FloatModel model, double[][] rows)
    {
        double max = 1;
        foreach (var row in rows)
        {
            for (int i = 0; i < model.InputSize; i++)
            {
                double v = Math.Abs((row[i] - At(model.InputMean, i, 0)) / At(model.InputStd, i, 1));
                if (!double.IsNaN(v)) max = Math.Max(max, v);
            }
        }
        int bits = (int)Math.Floor(15 - Math.Log2(max * 1.5));
        return Math.Clamp(bits, 4, 14);
    }

    private static double MaxAbs(double[][] rows, double[]? extra)
    {
        double max = 0;
        foreach (var row in rows)
        {
            if (row == null) continue;
            foreach (double v in row) if (!double.IsNaN(v) && !double.IsInfinity(v)) max = Math.Max(max, Math.Abs(v));
        }
        if (extra != null) foreach (double v in extra) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    private static double At(double[] values, int index, double fallback) => index < values.Length ? values[index] : fallback;

    /// <summary>targets[t] = the target columns Horizon rows after t, when targets are among the features.</summary>
    private static double[][]? DeriveTargets(FloatModel model, double[][] rows)
    {
        if (model.Task != TaskKind.Forecast) return null;
        var indices = new int[model.OutputSize];
        for (int o = 0; o < model.OutputSize; o++)
        {
            int index = o < model.TargetColumns.Length ? Array.IndexOf(model.FeatureColumns, model.TargetColumns[o]) : (model.InputSize == model.OutputSize ? o : -1);
            if (index < 0) return null;
            indices[o] = index;
        }
        int horizon = Math.Max(1, model.Horizon);
        var targets = new double[rows.Length][];
        for (int t = 0; t + horizon < rows.Length; t++) targets[t] = indices.Select(i => rows[t + horizon][i]).ToArray();
        return targets;
    }

    private static void Validate(FloatModel model, double[][] rows, QuantizeOptions options)
    {
        if (options.Bits != 8 && options.Bits != 16) throw new ArgumentException($"--bits must be 8 or 16, got {options.Bits}");
        if (model.Bidirectional) throw new ArgumentException("bidirectional models cannot run as a stream; train a unidirectional model for the device");
        if (model.Layers < 1 || model.Layers > ModelFormat.MaxLayers) throw new ArgumentException($"layer count {model.Layers} outside 1..{ModelFormat.MaxLayers}");
        if (model.HiddenSize < 1 || model.HiddenSize > ModelFormat.MaxWidth) throw new ArgumentException($"hidden size {model.HiddenSize} outside 1..{ModelFormat.MaxWidth}");
        if (model.InputSize < 1 || model.InputSize > ModelFormat.MaxWidth) throw new ArgumentException($"input size {model.InputSize} outside 1..{ModelFormat.MaxWidth}");
        if (model.OutputSize < 1 || model.OutputSize > ModelFormat.MaxOutputs) throw new ArgumentException($"output size {model.OutputSize} outside 1..{ModelFormat.MaxOutputs}");
        if (rows.Length == 0) throw new ArgumentException("calibration data is empty");
        int width = model.Task == TaskKind.NextSymbol ? 1 : model.InputSize;
        for (int t = 0; t < rows.Length; t++)
        {
            if (rows[t] == null || rows[t].Length < width) throw new ArgumentException($"calibration row {t} has {rows[t]?.Length ?? 0} values, the model needs {width}");
        }
    }
}
