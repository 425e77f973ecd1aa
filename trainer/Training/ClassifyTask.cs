using System.Globalization;
using Embedded.Shared.Model;
using Embedded.Trainer.Data;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;

namespace Embedded.Trainer.Training;

/// <summary>
/// Many-to-one sequence classification: a window of normalised feature rows is labelled with the class in the
/// target column at its last row (labels are any text; classes are the distinct labels of the file, sorted).
/// Softmax cross-entropy on the head applied to the final state (both directions for bidirectional models).
/// Chronological split: windows ending before row s train, the rest validate; val_accuracy is reported.
/// </summary>
public sealed class ClassifyTask : ITrainingTask
{
    private readonly CsvSeries _features;
    private readonly TrainOptions _options;
    private readonly ZScore _norm;
    private readonly double[][] _x;
    private readonly int[] _classOf;
    private readonly string[] _classes;
    private readonly int _split, _width;
    private int[] _order = [];
    private double[] _batchX = [], _dy = [];
    private int[] _labels = [];

    public ClassifyTask(string path, IReadOnlyList<string>? featureColumns, string labelColumn, string? timestampColumn, TrainOptions options)
    {
        options.Validate();
        _options = options;
        var table = CsvTable.Load(path);
        int labelIndex = table.ColumnIndex(labelColumn);
        var features = featureColumns is { Count: > 0 } ? featureColumns : table.Header.Where((c, i) => i != labelIndex && c != timestampColumn).ToArray();
        if (features.Count == 0) throw new DataFormatException(path, 1, null, "no feature columns besides the label");
        _features = CsvSeries.Load(path, features, features, timestampColumn);
        string[] labels = table.Rows.Select(r => r[labelIndex].Trim()).ToArray();
        for (int r = 0; r < labels.Length; r++)
            if (labels[r].Length == 0) throw new DataFormatException(path, table.LineNumbers[r], labelColumn, "empty class label");
        _classes = labels.Distinct().OrderBy(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.MaxValue).ThenBy(l => l, StringComparer.Ordinal).ToArray();
        if (_classes.Length < 2) throw new DataFormatException(path, 0, labelColumn, $"needs at least 2 classes, found {_classes.Length}");
        var index = _classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        _classOf = labels.Select(l => index[l]).ToArray();
        int n = _features.Count;
        _split = n - (int)Math.Round(n * options.ValidationFraction);
        _width = features.Count;
        _features.RequireRows(options.Window + 2, $"window {options.Window}");
        if (_split < options.Window) _features.RequireRows((int)Math.Ceiling(options.Window / (1 - options.ValidationFraction)) + 1, $"window {options.Window} with the validation split");
        _norm = ZScore.Fit(_features.Features, 0, _split);
        _x = _norm.Normalize(_features.Features);
    }

    public string[] Classes => _classes;

    public FloatModel CreateModel(TrainOptions o, Random random)
    {
        var template = new FloatModel
        {
            Cell = o.Cell, Task = TaskKind.Classify, InputSize = _width, HiddenSize = o.Hidden, Layers = o.Layers,
            Bidirectional = o.Bidirectional, OutputSize = _classes.Length,
            InputMean = _norm.Mean, InputStd = _norm.Std, FeatureColumns = _features.FeatureColumns,
            TimestampColumn = _features.TimestampColumn, Window = o.Window, ClassNames = _classes,
            SamplePeriodSeconds = _features.MedianSamplePeriodSeconds(),
        };
        return FloatModelFactory.Create(o.Cell, TaskKind.Classify, _width, o.Hidden, o.Layers, o.Bidirectional, _classes.Length, random, template);
    }

    /// <summary>Imported weights with this data's normalisation, columns and class names attached.</summary>
    public FloatModel Attach(FloatModel weights)
    {
        var shaped = CreateModel(new TrainOptions { Cell = weights.Cell, Hidden = weights.HiddenSize, Layers = weights.Layers, Bidirectional = weights.Bidirectional, Window = _options.Window }, new Random(0));
        shaped.Parameters.Clear();
        foreach (var (k, v) in weights.Parameters) shaped.Parameters[k] = v;
        return shaped;
    }

    public void CheckCompatible(FloatModel model)
    {
        if (model.Task != TaskKind.Classify || model.InputSize != _width || model.OutputSize != _classes.Length)
            throw new ArgumentException($"the model ({model.Task}, {model.InputSize} inputs, {model.OutputSize} outputs) does not fit {_width} features and {_classes.Length} classes");
    }

    public int BeginEpoch(SequenceModel model, Random random)
    {
        int w = _options.Window, first = w - 1, last = _split - 1;
        int count = Math.Max(0, (last - first) / _options.Stride + 1);
        if (_order.Length != count) _order = new int[count];
        for (int i = 0; i < count; i++) _order[i] = first + i * _options.Stride;
        random.Shuffle(_order);
        Allocate(_options.BatchSize);
        return (count + _options.BatchSize - 1) / _options.BatchSize;
    }

    private void Allocate(int b)
    {
        int w = _options.Window;
        if (_batchX.Length < w * b * _width) _batchX = new double[w * b * _width];
        if (_dy.Length < b * _classes.Length) _dy = new double[b * _classes.Length];
        if (_labels.Length < b) _labels = new int[b];
    }

    public double TrainBatch(SequenceModel model, int batch, ref long samples)
    {
        int start = batch * _options.BatchSize, size = Math.Min(_options.BatchSize, _order.Length - start);
        Fill(_order.AsSpan(start, size));
        var y = model.ForwardLast(_batchX.AsMemory(0, _options.Window * size * _width), _options.Window, size);
        double loss = Losses.CrossEntropy(y, _labels.AsSpan(0, size), _dy, _classes.Length);
        model.BackwardLast(_dy.AsSpan(0, size * _classes.Length));
        samples += size;
        return loss;
    }

    private void Fill(ReadOnlySpan<int> ends)
    {
        int w = _options.Window, size = ends.Length;
        for (int s = 0; s < size; s++)
        {
            for (int step = 0; step < w; step++) Array.Copy(_x[ends[s] - w + 1 + step], 0, _batchX, (step * size + s) * _width, _width);
            _labels[s] = _classOf[ends[s]];
        }
    }

    public double? Evaluate(SequenceModel model, TrainingReport report)
    {
        int n = _x.Length, first = Math.Max(_split, _options.Window - 1);
        if (first >= n) return null;
        int b = _options.BatchSize;
        Allocate(b);
        double sum = 0;
        int correct = 0, count = n - first;
        var ends = new int[b];
        for (int start = 0; start < count; start += b)
        {
            int size = Math.Min(b, count - start);
            for (int s = 0; s < size; s++) ends[s] = first + start + s;
            Fill(ends.AsSpan(0, size));
            var y = model.ForwardLast(_batchX.AsMemory(0, _options.Window * size * _width), _options.Window, size);
            sum += Losses.CrossEntropy(y, _labels.AsSpan(0, size), default, _classes.Length) * size;
            for (int s = 0; s < size; s++)
            {
                var row = y.Slice(s * _classes.Length, _classes.Length);
                int best = 0;
                for (int k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
                if (best == _labels[s]) correct++;
            }
        }
        report.ValAccuracy = (double)correct / count;
        return sum / count;
    }
}
