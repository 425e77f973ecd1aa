using Embedded.Shared.Model;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Quantization;

/// <summary>Random float models for tests and benchmarks of every area (PyTorch-style uniform init).</summary>
public static class RandomFloatModel
{
    /// <summary>
    /// A model with weights uniform in [-1/sqrt(H), 1/sqrt(H)] (PyTorch's default), identity normalisation.
    /// For NextSymbol, <paramref name="inputs"/> is the vocabulary size and a vocabulary of letters is made.
    /// </summary>
    public static FloatModel Create(CellType cell, int inputs, int hidden, int layers, int outputs, int seed,
        TaskKind task = TaskKind.Forecast, double weightScale = 1.0, bool[]? changeOutputs = null)
    {
        var rng = new Random(seed);
        int gates = cell switch { CellType.Lstm => 4, CellType.Gru => 3, _ => 1 };
        double bound = weightScale / Math.Sqrt(hidden);
        var parameters = new Dictionary<string, Tensor>();
        Tensor Uniform(params int[] shape)
        {
            var t = new Tensor(shape);
            for (int i = 0; i < t.Data.Length; i++) t.Data[i] = (rng.NextDouble() * 2 - 1) * bound;
            return t;
        }
        for (int k = 0; k < layers; k++)
        {
            int width = k == 0 ? inputs : hidden;
            parameters[FloatModel.RnnName("weight_ih", k)] = Uniform(gates * hidden, width);
            parameters[FloatModel.RnnName("weight_hh", k)] = Uniform(gates * hidden, hidden);
            parameters[FloatModel.RnnName("bias_ih", k)] = Uniform(gates * hidden);
            parameters[FloatModel.RnnName("bias_hh", k)] = Uniform(gates * hidden);
        }
        parameters["head.weight"] = Uniform(outputs, hidden);
        parameters["head.bias"] = Uniform(outputs);
        bool symbols = task == TaskKind.NextSymbol;
        return new FloatModel
        {
            Cell = cell,
            Task = task,
            InputSize = inputs,
            HiddenSize = hidden,
            Layers = layers,
            OutputSize = outputs,
            Parameters = parameters,
            InputMean = symbols ? [] : new double[inputs],
            InputStd = symbols ? [] : Enumerable.Repeat(1.0, inputs).ToArray(),
            TargetMean = task == TaskKind.Forecast ? new double[outputs] : [],
            TargetStd = task == TaskKind.Forecast ? Enumerable.Repeat(1.0, outputs).ToArray() : [],
            ChangeOutputs = changeOutputs ?? [],
            FeatureColumns = symbols ? [] : Enumerable.Range(0, inputs).Select(i => "x" + i).ToArray(),
            TargetColumns = task == TaskKind.Forecast ? Enumerable.Range(0, outputs).Select(i => "x" + i).ToArray() : [],
            Vocabulary = symbols ? new string(Enumerable.Range(0, inputs).Select(i => (char)('a' + i % 26 + (i / 26) * 32)).ToArray()) : null,
            Window = 32,
        };
    }

    /// <summary>Random calibration rows (standard normal features, or symbol ids for NextSymbol).</summary>
    public static double[][] Rows(FloatModel model, int count, int seed)
    {
        var rng = new Random(seed);
        var rows = new double[count][];
        for (int t = 0; t < count; t++)
        {
            if (model.Task == TaskKind.NextSymbol)
            {
                rows[t] = [rng.Next(model.InputSize)];
                continue;
            }
            rows[t] = new double[model.InputSize];
            for (int i = 0; i < model.InputSize; i++)
            {
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                double gaussian = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                double std = i < model.InputStd.Length ? model.InputStd[i] : 1;
                double mean = i < model.InputMean.Length ? model.InputMean[i] : 0;
                rows[t][i] = mean + std * gaussian;
            }
        }
        return rows;
    }
}
