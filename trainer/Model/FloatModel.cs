using Embedded.Shared.Model;

namespace Embedded.Trainer.Model;

/// <summary>
/// The trained float model: what the trainer writes, the quantizer reads, and safetensors moves to and
/// from PyTorch. Parameter names and layouts follow PyTorch exactly:
///   rnn.weight_ih_l{k}[_reverse]  (G*H, I_k)   G = 1 (RNN), 4 (LSTM: i,f,g,o), 3 (GRU: r,z,n)
///   rnn.weight_hh_l{k}[_reverse]  (G*H, H)
///   rnn.bias_ih_l{k}[_reverse]    (G*H)
///   rnn.bias_hh_l{k}[_reverse]    (G*H)
///   head.weight (O, H * directions), head.bias (O)
/// I_0 = InputSize; I_k = H * directions for k &gt; 0.
/// </summary>
public sealed class FloatModel
{
    public required CellType Cell { get; init; }
    public required TaskKind Task { get; init; }
    /// <summary>Features per time step (for NextSymbol: the vocabulary size; inputs are one-hot).</summary>
    public required int InputSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int Layers { get; init; }
    public bool Bidirectional { get; init; }
    /// <summary>Head outputs: target count (Forecast), class count (Classify), vocabulary size (NextSymbol).</summary>
    public required int OutputSize { get; init; }

    /// <summary>All parameters by PyTorch name (see class summary).</summary>
    public Dictionary<string, Tensor> Parameters { get; init; } = new();

    /// <summary>Z-score normalisation: model input = (x - InputMean) / InputStd; output is de-normalised with Target*.</summary>
    public double[] InputMean { get; init; } = [];
    public double[] InputStd { get; init; } = [];
    public double[] TargetMean { get; init; } = [];
    public double[] TargetStd { get; init; } = [];
    /// <summary>
    /// Per output (empty = none): the de-normalised output k is the change from input k (target k is
    /// feature k), so the forecast is input k + output k and an untrained head forecasts "next = last" there.
    /// </summary>
    public bool[] ChangeOutputs { get; init; } = [];

    /// <summary>Whether any output is a change (see <see cref="ChangeOutputs"/>).</summary>
    public bool PredictsChange => Array.IndexOf(ChangeOutputs, true) >= 0;

    public string[] FeatureColumns { get; init; } = [];
    public string[] TargetColumns { get; init; } = [];
    public string? TimestampColumn { get; init; }
    /// <summary>Forecast horizon: predict the value this many rows ahead.</summary>
    public int Horizon { get; init; } = 1;
    /// <summary>Training window length (rows per sample).</summary>
    public int Window { get; init; }
    /// <summary>Symbols of a NextSymbol model, index = symbol id.</summary>
    public string? Vocabulary { get; init; }
    /// <summary>Class names of a Classify model.</summary>
    public string[] ClassNames { get; init; } = [];
    /// <summary>Median spacing of the training timestamps in seconds (0 = unknown).</summary>
    public double SamplePeriodSeconds { get; init; }
    /// <summary>The data the model was trained on (null for models written before it was recorded, or built in code).</summary>
    public TrainingDataSource? TrainingData { get; set; }

    public int Directions => Bidirectional ? 2 : 1;
    public int Gates => Cell switch { CellType.Rnn => 1, CellType.Lstm => 4, CellType.Gru => 3, _ => throw new InvalidOperationException() };
    public int LayerInputSize(int layer) => layer == 0 ? InputSize : HiddenSize * Directions;

    /// <summary>The PyTorch name of a recurrent parameter, e.g. ("weight_ih", 1, true) -> rnn.weight_ih_l1_reverse.</summary>
    public static string RnnName(string kind, int layer, bool reverse = false) => $"rnn.{kind}_l{layer}{(reverse ? "_reverse" : "")}";

    public Tensor this[string name] => Parameters.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"model has no parameter '{name}'");
}
