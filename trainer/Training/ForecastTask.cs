using Embedded.Shared.Model;
using Embedded.Trainer.Data;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;

namespace Embedded.Trainer.Training;

/// <summary>
/// Forecasting: from the normalised feature rows predict the target columns <c>Horizon</c> rows ahead, with
/// the head on every time step (each step predicts its own row + horizon, as a streaming device does) and MSE loss.
/// Split: rows [0, s) train, rows [s, N) are the validation targets (chronological). Without truncated BPTT the
/// training samples are shuffled windows starting from a zero state; with it, B contiguous streams over the
/// training rows are walked in chunks with the state carried (detached) between chunks.
/// Validation predicts each validation row from the window (or, with truncated BPTT, the stream) before it;
/// val_rmse and the persistence baseline (target at row e+h predicted by the target at row e) are in target units.
/// </summary>
public sealed class ForecastTask : ITrainingTask
{
    private readonly CsvSeries _data;
    private readonly TrainOptions _options;
    private readonly ZScore _inputNorm, _targetNorm;
    private readonly double[][] _x, _y;              // normalised rows
    private readonly int _split, _features, _targets;
    private readonly bool[] _change;                 // per target: a change from the current value (else the value)
    private int[] _order = [];
    private double[] _batchX = [], _batchY = [], _dy = [];
    private RecurrentState? _streamState;
    private int _streamLength, _chunks;

    public ForecastTask(CsvSeries data, TrainOptions options)
    {
        options.Validate();
        _data = data;
        _options = options;
        int n = data.Count, h = options.Horizon, w = options.Window;
        _split = n - (int)Math.Round(n * options.ValidationFraction);
        _features = data.FeatureColumns.Length;
        _targets = data.TargetColumns.Length;
        int needed = options.Tbptt > 0 ? options.BatchSize * 2 + h : w + h;
        if (_split - h < needed || (options.ValidationFraction > 0 && n - _split < 1))
        {
            int rows = (int)Math.Ceiling((needed + h + 1) / Math.Max(1e-9, 1 - options.ValidationFraction)) + 1;
            data.RequireRows(Math.Max(rows, n + 1), $"window {w}, horizon {h} and a {options.ValidationFraction:P0} validation split");
        }
        _inputNorm = ZScore.Fit(data.Features, 0, _split);
        _x = _inputNorm.Normalize(data.Features);
        _change = options.ChangeFlags(_targets);
        var valueScale = ZScore.Fit(data.Targets, 0, _split);
        if (Array.IndexOf(_change, true) >= 0)
        {
            RequireTargetsAmongInputs(data, _change);
            // Change targets: the change from h rows earlier, mean 0 and RMS scale; value targets: z-scores.
            var changes = Changes(data.Targets, h);
            var changeScale = ChangeScale(changes, h, _split);
            var mean = new double[_targets];
            var std = new double[_targets];
            for (int k = 0; k < _targets; k++)
            {
                mean[k] = _change[k] ? 0 : valueScale.Mean[k];
                std[k] = _change[k] ? changeScale.Std[k] : valueScale.Std[k];
            }
            _targetNorm = new ZScore(mean, std);
            var targets = new double[n][];
            for (int r = 0; r < n; r++)
            {
                targets[r] = new double[_targets];
                for (int k = 0; k < _targets; k++) targets[r][k] = _change[k] ? changes[r][k] : data.Targets[r][k];
            }
            _y = _targetNorm.Normalize(targets);
        }
        else
        {
            _targetNorm = valueScale;
            _y = valueScale.Normalize(data.Targets);
        }
    }

    /// <summary>A change target k must be feature k: the runtime adds input k to output k.</summary>
    private static void RequireTargetsAmongInputs(CsvSeries data, bool[] change)
    {
        for (int k = 0; k < data.TargetColumns.Length; k++)
        {
            if (!change[k]) continue;
            if (k >= data.FeatureColumns.Length || data.FeatureColumns[k] != data.TargetColumns[k])
                throw new ArgumentException($"--forecast change needs target column {k + 1} ('{data.TargetColumns[k]}') to be feature column {k + 1}: the forecast is the input plus the predicted change");
        }
    }

    /// <summary>changes[r] = target at r minus the same column h rows earlier (what a model fed row r - h predicts); rows before h are 0.</summary>
    private static double[][] Changes(double[][] targets, int h)
    {
        var changes = new double[targets.Length][];
        for (int r = 0; r < targets.Length; r++)
        {
            changes[r] = new double[targets[r].Length];
            if (r < h) continue;
            for (int k = 0; k < changes[r].Length; k++) changes[r][k] = targets[r][k] - targets[r - h][k];
        }
        return changes;
    }

    /// <summary>
    /// Mean 0 and the root mean square of the training changes: a zero output is exactly persistence
    /// ("next = last"), the forecaster a short series can always fall back to.
    /// </summary>
    private static ZScore ChangeScale(double[][] changes, int h, int split)
    {
        int width = changes[0].Length, count = Math.Max(1, split - h);
        var mean = new double[width];
        var rms = new double[width];
        for (int r = h; r < split; r++)
            for (int k = 0; k < width; k++) rms[k] += changes[r][k] * changes[r][k];
        for (int k = 0; k < width; k++)
        {
            rms[k] = Math.Sqrt(rms[k] / count);
            if (!(rms[k] > 1e-12)) rms[k] = 1;
        }
        return new ZScore(mean, rms);
    }

    public int TrainRows => _split;

    public FloatModel CreateModel(TrainOptions o, Random random)
    {
        var template = FloatModelFactory.WithShape(null, o.Cell, TaskKind.Forecast, _features, o.Hidden, o.Layers, o.Bidirectional, _targets);
        return FloatModelFactory.Create(o.Cell, TaskKind.Forecast, _features, o.Hidden, o.Layers, o.Bidirectional, _targets, random, WithMetadata(template));
    }

    private FloatModel WithMetadata(FloatModel m) => new()
    {
        Cell = m.Cell, Task = m.Task, InputSize = m.InputSize, HiddenSize = m.HiddenSize, Layers = m.Layers,
        Bidirectional = m.Bidirectional, OutputSize = m.OutputSize,
        InputMean = _inputNorm.Mean, InputStd = _inputNorm.Std, TargetMean = _targetNorm.Mean, TargetStd = _targetNorm.Std,
        ChangeOutputs = Array.IndexOf(_change, true) >= 0 ? (bool[])_change.Clone() : [],
        FeatureColumns = _data.FeatureColumns, TargetColumns = _data.TargetColumns, TimestampColumn = _data.TimestampColumn,
        Horizon = _options.Horizon, Window = _options.Window, SamplePeriodSeconds = _data.MedianSamplePeriodSeconds(),
    };

    public void CheckCompatible(FloatModel model)
    {
        if (model.Task != TaskKind.Forecast) throw new ArgumentException($"the model is a {model.Task} model, not Forecast");
        if (model.InputSize != _features || model.OutputSize != _targets)
            throw new ArgumentException($"the model takes {model.InputSize} inputs and gives {model.OutputSize} outputs; the data has {_features} feature and {_targets} target columns");
        bool[] flags = model.ChangeOutputs.Length == _targets ? model.ChangeOutputs : new bool[_targets];
        if (!flags.SequenceEqual(_change))
            throw new ArgumentException(model.PredictsChange ? "the model forecasts changes: use --forecast change (or the same --forecast it was trained with)" : "the model forecasts values: use --forecast value");
    }

    /// <summary>The model's normalisation and columns for an imported or resumed model that lacks them.</summary>
    public FloatModel Attach(FloatModel weights)
    {
        var m = WithMetadata(weights);
        foreach (var (k, v) in weights.Parameters) m.Parameters[k] = v;
        return m;
    }

    public int BeginEpoch(SequenceModel model, Random random)
    {
        int b = _options.BatchSize, w = _options.Window, h = _options.Horizon;
        if (_options.Tbptt > 0)
        {
            int t = _options.Tbptt;
            _streamLength = (_split - h) / b;
            _chunks = Math.Max(1, _streamLength / t);
            _streamState ??= model.Network.NewState(b);
            _streamState.Clear();
            Grow(ref _batchX, t * b * _features);
            Grow(ref _batchY, t * b * _targets);
            Grow(ref _dy, t * b * _targets);
            return _chunks;
        }
        // Window ends e with e + h < split.
        int first = w - 1, last = _split - 1 - h;
        int count = (last - first) / _options.Stride + 1;
        if (_order.Length != count) _order = new int[count];
        for (int i = 0; i < count; i++) _order[i] = first + i * _options.Stride;
        random.Shuffle(_order);
        Grow(ref _batchX, w * b * _features);
        Grow(ref _batchY, w * b * _targets);
        Grow(ref _dy, w * b * _targets);
        return (count + b - 1) / b;
    }

    public double TrainBatch(SequenceModel model, int batch, ref long samples)
    {
        int h = _options.Horizon;
        if (_options.Tbptt > 0)
        {
            int t = Math.Min(_options.Tbptt, _streamLength), b = _options.BatchSize;
            for (int s = 0; s < b; s++)
                for (int step = 0; step < t; step++)
                {
                    int row = s * _streamLength + batch * t + step;
                    Fill(row, h, (step * b + s));
                }
            var y = model.ForwardAll(_batchX.AsMemory(0, t * b * _features), t, b, _streamState);
            double loss = Losses.MeanSquaredError(y, _batchY.AsSpan(0, t * b * _targets), _dy);
            model.BackwardAll(_dy.AsSpan(0, t * b * _targets));
            model.Network.CopyFinalState(_streamState!);
            if (!_streamState!.IsFinite()) return double.NaN;
            samples += b;
            return loss;
        }
        int w = _options.Window;
        int start = batch * _options.BatchSize, size = Math.Min(_options.BatchSize, _order.Length - start);
        for (int s = 0; s < size; s++)
        {
            int end = _order[start + s];
            for (int step = 0; step < w; step++) Fill(end - w + 1 + step, h, step * size + s);
        }
        var out1 = model.ForwardAll(_batchX.AsMemory(0, w * size * _features), w, size);
        double l = Losses.MeanSquaredError(out1, _batchY.AsSpan(0, w * size * _targets), _dy);
        model.BackwardAll(_dy.AsSpan(0, w * size * _targets));
        samples += size;
        return l;
    }

    private void Fill(int row, int h, int slot)
    {
        Array.Copy(_x[row], 0, _batchX, slot * _features, _features);
        Array.Copy(_y[row + h], 0, _batchY, slot * _targets, _targets);
    }

    public double? Evaluate(SequenceModel model, TrainingReport report)
    {
        int n = _data.Count, h = _options.Horizon;
        if (n - _split < 1) return null;
        // Prediction for validation row r (target row) made at row e = r - h.
        int firstEnd = Math.Max(_split - h, _options.Tbptt > 0 ? 0 : _options.Window - 1), lastEnd = n - 1 - h;
        if (lastEnd < firstEnd) return null;
        int count = lastEnd - firstEnd + 1;
        var predictions = new double[count * _targets];
        if (_options.Tbptt > 0) PredictStreaming(model, firstEnd, count, predictions);
        else PredictWindows(model, firstEnd, count, predictions);

        double sqNorm = 0, sqModel = 0, sqPersist = 0;
        var sqModelK = new double[_targets];
        var sqPersistK = new double[_targets];
        var gapSum = new double[_targets];       // per row: model's squared error minus persistence's
        var gapSquares = new double[_targets];
        for (int i = 0; i < count; i++)
        {
            int e = firstEnd + i;
            for (int k = 0; k < _targets; k++)
            {
                double pNorm = predictions[i * _targets + k];
                double dn = pNorm - _y[e + h][k];
                sqNorm += dn * dn;
                double actual = _data.Targets[e + h][k];
                double forecast = _targetNorm.Denormalize(pNorm, k) + (_change[k] ? _data.Targets[e][k] : 0);
                double dm = forecast - actual;
                double dp = _data.Targets[e][k] - actual;
                sqModel += dm * dm;
                sqPersist += dp * dp;
                sqModelK[k] += dm * dm;
                sqPersistK[k] += dp * dp;
                double gap = dm * dm - dp * dp;
                gapSum[k] += gap;
                gapSquares[k] += gap * gap;
            }
        }
        int total = count * _targets;
        report.ValRmse = Math.Sqrt(sqModel / total);
        report.BaselineRmse = Math.Sqrt(sqPersist / total);
        report.ValRmsePerTarget = sqModelK.Select(s => Math.Sqrt(s / count)).ToArray();
        report.BaselineRmsePerTarget = sqPersistK.Select(s => Math.Sqrt(s / count)).ToArray();
        report.PersistenceAdvantage = new double[_targets];
        for (int k = 0; k < _targets; k++)
        {
            // Paired comparison: the mean gap in standard errors (positive: persistence forecast better).
            double mean = gapSum[k] / count;
            double variance = Math.Max(0, gapSquares[k] / count - mean * mean);
            double standardError = Math.Sqrt(variance / Math.Max(1, count - 1));
            report.PersistenceAdvantage[k] = standardError > 0 ? mean / standardError : 0;
        }
        return sqNorm / total;
    }

    private void PredictWindows(SequenceModel model, int firstEnd, int count, double[] predictions)
    {
        int w = _options.Window, b = Math.Max(_options.BatchSize, 64);
        var x = new double[w * b * _features];
        for (int start = 0; start < count; start += b)
        {
            int size = Math.Min(b, count - start);
            for (int s = 0; s < size; s++)
            {
                int end = firstEnd + start + s;
                for (int step = 0; step < w; step++) Array.Copy(_x[end - w + 1 + step], 0, x, (step * size + s) * _features, _features);
            }
            var y = model.ForwardAll(x.AsMemory(0, w * size * _features), w, size);
            for (int s = 0; s < size; s++)
                y.Slice(((w - 1) * size + s) * _targets, _targets).CopyTo(predictions.AsSpan((start + s) * _targets, _targets));
        }
    }

    private void PredictStreaming(SequenceModel model, int firstEnd, int count, double[] predictions)
    {
        // One stream over every row from the start, state carried, chunked to bound memory.
        var state = model.Network.NewState(1);
        int chunk = 256, lastEnd = firstEnd + count - 1;
        var x = new double[chunk * _features];
        for (int start = 0; start <= lastEnd; start += chunk)
        {
            int len = Math.Min(chunk, lastEnd + 1 - start);
            for (int i = 0; i < len; i++) Array.Copy(_x[start + i], 0, x, i * _features, _features);
            var y = model.ForwardAll(x.AsMemory(0, len * _features), len, 1, state);
            model.Network.CopyFinalState(state);
            for (int i = 0; i < len; i++)
            {
                int e = start + i;
                if (e >= firstEnd) y.Slice(i * _targets, _targets).CopyTo(predictions.AsSpan((e - firstEnd) * _targets, _targets));
            }
        }
    }

    private static void Grow(ref double[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new double[length];
    }
}
