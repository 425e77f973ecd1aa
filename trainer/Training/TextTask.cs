using Embedded.Shared.Model;
using Embedded.Trainer.Data;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;

namespace Embedded.Trainer.Training;

/// <summary>
/// Next-symbol prediction over characters (d2l.ai chapter 9 set-up): one-hot inputs, head on every step,
/// cross-entropy. Training uses d2l's sequential partitioning: each epoch starts at a random offset in
/// [0, T), the text is cut into B contiguous streams walked T symbols at a time with the state carried and
/// detached between chunks. Validation (the last fraction of the text) is walked the same way without a random offset.
/// Perplexity = exp(mean cross-entropy per symbol).
/// </summary>
public sealed class TextTask : ITrainingTask
{
    private readonly TextCorpus _corpus;
    private readonly TrainOptions _options;
    private readonly int _trainLength, _vocab;
    private int _offset, _streamLength, _chunks;
    private double[] _x = [], _dy = [];
    private int[] _labels = [];
    private RecurrentState? _state;
    private double _epochLossSum;
    private long _epochSymbols;

    public TextTask(TextCorpus corpus, TrainOptions options)
    {
        options.Validate();
        _corpus = corpus;
        _options = options;
        _vocab = corpus.VocabularySize;
        int n = corpus.Symbols.Length;
        _trainLength = n - (int)Math.Round(n * options.ValidationFraction);
        int steps = StepLength;
        if (_trainLength < options.BatchSize * steps + steps + 1)
            throw new DataFormatException("text", 0, null, $"too little text: {_trainLength} training symbols, batch {options.BatchSize} × {steps} steps needs at least {options.BatchSize * steps + steps + 1}");
    }

    /// <summary>Steps per chunk: --tbptt if given, else --window (d2l: 35).</summary>
    private int StepLength => _options.Tbptt > 0 ? _options.Tbptt : _options.Window;

    /// <summary>Mean training perplexity of the last epoch (d2l's reported number).</summary>
    public double LastTrainPerplexity => _epochSymbols > 0 ? Math.Exp(_epochLossSum / _epochSymbols) : double.NaN;

    public FloatModel CreateModel(TrainOptions o, Random random)
    {
        var template = new FloatModel
        {
            Cell = o.Cell, Task = TaskKind.NextSymbol, InputSize = _vocab, HiddenSize = o.Hidden, Layers = o.Layers,
            Bidirectional = false, OutputSize = _vocab, Vocabulary = _corpus.Vocabulary, Window = StepLength,
        };
        return FloatModelFactory.Create(o.Cell, TaskKind.NextSymbol, _vocab, o.Hidden, o.Layers, false, _vocab, random, template);
    }

    public void CheckCompatible(FloatModel model)
    {
        if (model.Task != TaskKind.NextSymbol || model.InputSize != _vocab || model.OutputSize != _vocab)
            throw new ArgumentException($"the model ({model.Task}, {model.InputSize} inputs, {model.OutputSize} outputs) does not fit a {_vocab}-symbol text task");
        if (model.Bidirectional) throw new ArgumentException("next-symbol prediction needs a unidirectional model");
    }

    public int BeginEpoch(SequenceModel model, Random random)
    {
        int b = _options.BatchSize, t = StepLength;
        _offset = random.Next(0, t + 1);
        int tokens = (_trainLength - _offset - 1) / b * b;
        _streamLength = tokens / b;
        _chunks = _streamLength / t;
        _state ??= model.Network.NewState(b);
        _state.Clear();
        Allocate(t, b);
        _epochLossSum = 0;
        _epochSymbols = 0;
        return _chunks;
    }

    private void Allocate(int t, int b)
    {
        if (_x.Length < t * b * _vocab) { _x = new double[t * b * _vocab]; _dy = new double[t * b * _vocab]; }
        if (_labels.Length != t * b) _labels = new int[t * b];
    }

    public double TrainBatch(SequenceModel model, int batch, ref long samples)
    {
        int b = _options.BatchSize, t = StepLength;
        Fill(_offset, _streamLength, batch * t, t, b);
        var y = model.ForwardAll(_x.AsMemory(0, t * b * _vocab), t, b, _state);
        double loss = Losses.CrossEntropy(y, _labels, _dy, _vocab);
        model.BackwardAll(_dy.AsSpan(0, t * b * _vocab));
        model.Network.CopyFinalState(_state!);
        samples += (long)t * b;
        _epochLossSum += loss * t * b;
        _epochSymbols += (long)t * b;
        return loss;
    }

    private void Fill(int start, int streamLength, int position, int t, int b)
    {
        Array.Clear(_x, 0, t * b * _vocab);
        int[] symbols = _corpus.Symbols;
        for (int s = 0; s < b; s++)
            for (int step = 0; step < t; step++)
            {
                int at = start + s * streamLength + position + step;
                int row = step * b + s;
                _x[row * _vocab + symbols[at]] = 1;
                _labels[row] = symbols[at + 1];
            }
    }

    public double? Evaluate(SequenceModel model, TrainingReport report)
    {
        int n = _corpus.Symbols.Length, valLength = n - _trainLength;
        int t = StepLength;
        if (valLength < t + 1) { report.TrainPerplexity = LastTrainPerplexity; return null; }
        int b = Math.Max(1, Math.Min(_options.BatchSize, (valLength - 1) / t));
        int streamLength = (valLength - 1) / b, chunks = streamLength / t;
        var state = model.Network.NewState(b);
        double sum = 0;
        long count = 0;
        var savedX = _x; var savedLabels = _labels;
        _x = new double[t * b * _vocab];
        _labels = new int[t * b];
        for (int c = 0; c < chunks; c++)
        {
            Fill(_trainLength, streamLength, c * t, t, b);
            var y = model.ForwardAll(_x.AsMemory(0, t * b * _vocab), t, b, state);
            model.Network.CopyFinalState(state);
            sum += Losses.CrossEntropy(y, _labels, default, _vocab) * t * b;
            count += (long)t * b;
        }
        _x = savedX; _labels = savedLabels;
        double loss = sum / Math.Max(1, count);
        report.ValPerplexity = Math.Exp(loss);
        report.TrainPerplexity = LastTrainPerplexity;
        return loss;
    }

    public void Finish(TrainingReport report) => report.TrainPerplexity = Math.Exp(report.TrainLoss);
}
