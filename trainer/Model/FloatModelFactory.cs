using Embedded.Shared.Model;

namespace Embedded.Trainer.Model;

/// <summary>Creates a FloatModel with every parameter initialised the way PyTorch does (uniform ±1/√fan).</summary>
public static class FloatModelFactory
{
    /// <summary>
    /// A fresh model. Recurrent weights and biases ~ U(-1/√H, 1/√H) (nn.RNN/LSTM/GRU); the head ~ U(-1/√fan_in, 1/√fan_in) (nn.Linear).
    /// Extra settings (normalisation, columns, vocabulary, ...) are copied from <paramref name="template"/> when given.
    /// </summary>
    public static FloatModel Create(CellType cell, TaskKind task, int inputSize, int hiddenSize, int layers, bool bidirectional, int outputSize, Random random, FloatModel? template = null)
    {
        if (inputSize < 1 || hiddenSize < 1 || layers < 1 || outputSize < 1)
            throw new ArgumentException($"model sizes must be positive (input {inputSize}, hidden {hiddenSize}, layers {layers}, output {outputSize})");
        var model = WithShape(template, cell, task, inputSize, hiddenSize, layers, bidirectional, outputSize);
        double k = 1 / Math.Sqrt(hiddenSize);
        int gates = model.Gates * hiddenSize;
        for (int layer = 0; layer < layers; layer++)
            for (int dir = 0; dir < model.Directions; dir++)
            {
                bool reverse = dir == 1;
                model.Parameters[FloatModel.RnnName("weight_ih", layer, reverse)] = Uniform([gates, model.LayerInputSize(layer)], k, random);
                model.Parameters[FloatModel.RnnName("weight_hh", layer, reverse)] = Uniform([gates, hiddenSize], k, random);
                model.Parameters[FloatModel.RnnName("bias_ih", layer, reverse)] = Uniform([gates], k, random);
                model.Parameters[FloatModel.RnnName("bias_hh", layer, reverse)] = Uniform([gates], k, random);
            }
        int headIn = hiddenSize * model.Directions;
        double kh = 1 / Math.Sqrt(headIn);
        model.Parameters["head.weight"] = Uniform([outputSize, headIn], kh, random);
        model.Parameters["head.bias"] = Uniform([outputSize], kh, random);
        return model;
    }

    /// <summary>A model with the given shape and no parameters, other settings copied from <paramref name="template"/>.</summary>
    public static FloatModel WithShape(FloatModel? template, CellType cell, TaskKind task, int inputSize, int hiddenSize, int layers, bool bidirectional, int outputSize) => new()
    {
        Cell = cell,
        Task = task,
        InputSize = inputSize,
        HiddenSize = hiddenSize,
        Layers = layers,
        Bidirectional = bidirectional,
        OutputSize = outputSize,
        InputMean = template?.InputMean ?? [],
        InputStd = template?.InputStd ?? [],
        TargetMean = template?.TargetMean ?? [],
        TargetStd = template?.TargetStd ?? [],
        ChangeOutputs = template?.ChangeOutputs ?? [],
        FeatureColumns = template?.FeatureColumns ?? [],
        TargetColumns = template?.TargetColumns ?? [],
        TimestampColumn = template?.TimestampColumn,
        Horizon = template?.Horizon ?? 1,
        Window = template?.Window ?? 0,
        Vocabulary = template?.Vocabulary,
        ClassNames = template?.ClassNames ?? [],
        SamplePeriodSeconds = template?.SamplePeriodSeconds ?? 0,
        TrainingData = template?.TrainingData,
    };

    /// <summary>A deep copy (parameters included).</summary>
    public static FloatModel Clone(FloatModel source)
    {
        var copy = WithShape(source, source.Cell, source.Task, source.InputSize, source.HiddenSize, source.Layers, source.Bidirectional, source.OutputSize);
        foreach (var (name, t) in source.Parameters) copy.Parameters[name] = new Tensor((int[])t.Shape.Clone(), (double[])t.Data.Clone());
        return copy;
    }

    /// <summary>The parameter names the model must have, in PyTorch's order (layer, direction, ih/hh weights, biases, then head).</summary>
    public static IEnumerable<string> ParameterNames(FloatModel model)
    {
        for (int layer = 0; layer < model.Layers; layer++)
            for (int dir = 0; dir < model.Directions; dir++)
                foreach (string kind in new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" })
                    yield return FloatModel.RnnName(kind, layer, dir == 1);
        yield return "head.weight";
        yield return "head.bias";
    }

    /// <summary>The expected shape of a named parameter.</summary>
    public static int[] ExpectedShape(FloatModel model, string name)
    {
        int gates = model.Gates * model.HiddenSize;
        if (name == "head.weight") return [model.OutputSize, model.HiddenSize * model.Directions];
        if (name == "head.bias") return [model.OutputSize];
        string rest = name["rnn.".Length..];
        int lIndex = rest.IndexOf("_l", StringComparison.Ordinal);
        string kind = rest[..lIndex];
        string layerText = rest[(lIndex + 2)..];
        if (layerText.EndsWith("_reverse", StringComparison.Ordinal)) layerText = layerText[..^"_reverse".Length];
        int layer = int.Parse(layerText, System.Globalization.CultureInfo.InvariantCulture);
        return kind switch
        {
            "weight_ih" => [gates, model.LayerInputSize(layer)],
            "weight_hh" => [gates, model.HiddenSize],
            _ => [gates],
        };
    }

    /// <summary>Throws unless every expected parameter is present with the right shape and finite values.</summary>
    public static void Validate(FloatModel model, string source)
    {
        if (model.ChangeOutputs.Length > 0)
        {
            if (model.Task != TaskKind.Forecast || model.ChangeOutputs.Length != model.OutputSize)
                throw new InvalidDataException($"{source}: change outputs need a Forecast model and one flag per output ({model.ChangeOutputs.Length} flags, {model.OutputSize} outputs)");
            int last = Array.LastIndexOf(model.ChangeOutputs, true);
            if (last >= model.InputSize)
                throw new InvalidDataException($"{source}: output {last} is a change but the model has only {model.InputSize} inputs to add it to");
        }
        foreach (string name in ParameterNames(model))
        {
            if (!model.Parameters.TryGetValue(name, out Tensor? t)) throw new InvalidDataException($"{source}: missing parameter '{name}'");
            int[] want = ExpectedShape(model, name);
            if (!t.Shape.SequenceEqual(want))
                throw new InvalidDataException($"{source}: parameter '{name}' has shape [{string.Join(",", t.Shape)}], expected [{string.Join(",", want)}]");
            foreach (double v in t.Data)
                if (!double.IsFinite(v)) throw new InvalidDataException($"{source}: parameter '{name}' holds a non-finite value");
        }
    }

    private static Tensor Uniform(int[] shape, double bound, Random random)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Data.Length; i++) t.Data[i] = (random.NextDouble() * 2 - 1) * bound;
        return t;
    }
}
