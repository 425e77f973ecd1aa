using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Embedded.Shared.Model;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Checkpoints;

/// <summary>
/// The float model file (checkpoint), format "embedded-float-model" version 1: a safetensors container whose
/// tensors are the parameters under their PyTorch names (F64) and whose metadata holds "format", "version"
/// and "config" (JSON: shape, task, normalisation, columns, vocabulary). An optional training state (for
/// --resume) travels as "train.*" tensors and a "train_state" metadata entry. Written atomically.
/// </summary>
public static class FloatModelFile
{
    public const string FormatName = "embedded-float-model";
    public const int Version = 1;

    public static void Save(string path, FloatModel model, TrainingState? state = null)
    {
        FloatModelFactory.Validate(model, "model to save");
        var tensors = new Dictionary<string, Tensor>(model.Parameters, StringComparer.Ordinal);
        var meta = new Dictionary<string, string>
        {
            ["format"] = FormatName,
            ["version"] = Version.ToString(CultureInfo.InvariantCulture),
            ["config"] = ConfigJson(model, path).ToJsonString(),
        };
        if (state is not null)
        {
            foreach (var (name, t) in state.OptimizerBuffers) tensors["train.opt." + name] = t;
            foreach (var (name, t) in state.BestParameters) tensors["train.best." + name] = t;
            meta["train_state"] = new JsonObject
            {
                ["epochs_done"] = state.EpochsDone,
                ["optimizer_steps"] = state.OptimizerSteps,
                ["train_loss"] = FiniteOrNull(state.TrainLoss),
                ["val_loss"] = FiniteOrNull(state.ValLoss),
                ["best_val_loss"] = double.IsFinite(state.BestValLoss) ? state.BestValLoss : null,
                ["epochs_since_best"] = state.EpochsSinceBest,
                ["options"] = state.OptionsJson,
            }.ToJsonString();
        }
        SafeTensorsFile.Write(path, tensors, meta);
    }

    public static FloatModel Load(string path) => Load(path, out _);

    public static FloatModel Load(string path, out TrainingState? state)
    {
        var contents = SafeTensorsFile.Read(path);
        if (!contents.Metadata.TryGetValue("format", out string? format) || format != FormatName)
            throw new SafeTensorsFormatException(path, $"not an {FormatName} file (for plain PyTorch weights use --import-safetensors)");
        if (!contents.Metadata.TryGetValue("version", out string? version) || version != Version.ToString(CultureInfo.InvariantCulture))
            throw new SafeTensorsFormatException(path, $"unsupported {FormatName} version '{version}' (this build reads {Version})");
        if (!contents.Metadata.TryGetValue("config", out string? configText))
            throw new SafeTensorsFormatException(path, "missing config metadata");
        FloatModel model;
        try { model = FromConfig(JsonNode.Parse(configText)!.AsObject()); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        { throw new SafeTensorsFormatException(path, "config metadata is malformed: " + e.Message); }
        foreach (var (name, t) in contents.Tensors)
            if (!name.StartsWith("train.", StringComparison.Ordinal)) model.Parameters[name] = t;
        try { FloatModelFactory.Validate(model, path); }
        catch (InvalidDataException e) { throw new SafeTensorsFormatException(path, e.Message); }

        state = null;
        if (contents.Metadata.TryGetValue("train_state", out string? stateText))
        {
            var s = JsonNode.Parse(stateText)!.AsObject();
            state = new TrainingState
            {
                EpochsDone = s["epochs_done"]!.GetValue<int>(),
                OptimizerSteps = s["optimizer_steps"]!.GetValue<long>(),
                TrainLoss = s["train_loss"]!.AsArray().Select(n => n?.GetValue<double>() ?? double.NaN).ToList(),
                ValLoss = s["val_loss"]!.AsArray().Select(n => n?.GetValue<double>() ?? double.NaN).ToList(),
                BestValLoss = s["best_val_loss"]?.GetValue<double>() ?? double.PositiveInfinity,
                EpochsSinceBest = s["epochs_since_best"]!.GetValue<int>(),
                OptionsJson = s["options"]?.GetValue<string>() ?? "",
            };
            foreach (var (name, t) in contents.Tensors)
            {
                if (name.StartsWith("train.opt.", StringComparison.Ordinal)) state.OptimizerBuffers[name["train.opt.".Length..]] = t;
                else if (name.StartsWith("train.best.", StringComparison.Ordinal)) state.BestParameters[name["train.best.".Length..]] = t;
            }
        }
        return model;
    }

    private static JsonObject ConfigJson(FloatModel m, string path) => new()
    {
        ["cell"] = m.Cell.ToString().ToLowerInvariant(),
        ["task"] = m.Task.ToString(),
        ["input_size"] = m.InputSize,
        ["hidden_size"] = m.HiddenSize,
        ["layers"] = m.Layers,
        ["bidirectional"] = m.Bidirectional,
        ["output_size"] = m.OutputSize,
        ["input_mean"] = Numbers(m.InputMean),
        ["input_std"] = Numbers(m.InputStd),
        ["target_mean"] = Numbers(m.TargetMean),
        ["target_std"] = Numbers(m.TargetStd),
        ["change_outputs"] = new JsonArray(m.ChangeOutputs.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        ["feature_columns"] = Strings(m.FeatureColumns),
        ["target_columns"] = Strings(m.TargetColumns),
        ["timestamp_column"] = m.TimestampColumn,
        ["horizon"] = m.Horizon,
        ["window"] = m.Window,
        ["vocabulary"] = m.Vocabulary,
        ["class_names"] = Strings(m.ClassNames),
        ["sample_period_seconds"] = m.SamplePeriodSeconds,
        ["training_data"] = m.TrainingData is null ? null : SourceJson(m.TrainingData.RelativeTo(path)),
    };

    private static JsonObject SourceJson(TrainingDataSource s) => new()
    {
        ["format"] = s.Format,
        ["path"] = s.GivenPath,
        ["absolute_path"] = s.AbsolutePath,
        ["relative_path"] = s.RelativePath,
        ["max_chars"] = s.MaxSymbols,
        ["label_column"] = s.LabelColumn,
    };

    /// <summary>Checkpoints written before the training data was recorded have no "training_data": null.</summary>
    private static TrainingDataSource? SourceFrom(JsonNode? node) => node is not JsonObject s ? null : new TrainingDataSource
    {
        Format = s["format"]!.GetValue<string>(),
        GivenPath = s["path"]?.GetValue<string>() ?? s["absolute_path"]!.GetValue<string>(),
        AbsolutePath = s["absolute_path"]!.GetValue<string>(),
        RelativePath = s["relative_path"]?.GetValue<string>(),
        MaxSymbols = s["max_chars"]?.GetValue<int>() ?? 0,
        LabelColumn = s["label_column"]?.GetValue<string>(),
    };

    private static FloatModel FromConfig(JsonObject c) => new()
    {
        Cell = ParseCell(c["cell"]!.GetValue<string>()),
        Task = Enum.Parse<TaskKind>(c["task"]!.GetValue<string>()),
        InputSize = c["input_size"]!.GetValue<int>(),
        HiddenSize = c["hidden_size"]!.GetValue<int>(),
        Layers = c["layers"]!.GetValue<int>(),
        Bidirectional = c["bidirectional"]!.GetValue<bool>(),
        OutputSize = c["output_size"]!.GetValue<int>(),
        InputMean = Doubles(c["input_mean"]),
        InputStd = Doubles(c["input_std"]),
        TargetMean = Doubles(c["target_mean"]),
        TargetStd = Doubles(c["target_std"]),
        ChangeOutputs = c["change_outputs"] is JsonArray changes ? changes.Select(n => n!.GetValue<bool>()).ToArray() : [],
        FeatureColumns = StringArray(c["feature_columns"]),
        TargetColumns = StringArray(c["target_columns"]),
        TimestampColumn = c["timestamp_column"]?.GetValue<string>(),
        Horizon = c["horizon"]?.GetValue<int>() ?? 1,
        Window = c["window"]?.GetValue<int>() ?? 0,
        Vocabulary = c["vocabulary"]?.GetValue<string>(),
        ClassNames = StringArray(c["class_names"]),
        SamplePeriodSeconds = c["sample_period_seconds"]?.GetValue<double>() ?? 0,
        TrainingData = SourceFrom(c["training_data"]),
    };

    /// <summary>"rnn" | "lstm" | "gru" (any case).</summary>
    public static CellType ParseCell(string text) => text.ToLowerInvariant() switch
    {
        "rnn" => CellType.Rnn,
        "lstm" => CellType.Lstm,
        "gru" => CellType.Gru,
        _ => throw new FormatException($"unknown cell '{text}' (rnn, lstm or gru)"),
    };

    /// <summary>JSON has no NaN: epochs without a validation loss are stored as null.</summary>
    private static JsonArray FiniteOrNull(List<double> values) => new(values.Select(v => double.IsFinite(v) ? (JsonNode?)v : null).ToArray());

    private static JsonArray Numbers(double[] values) => new(values.Select(v => (JsonNode)v).ToArray());
    private static JsonArray Strings(string[] values) => new(values.Select(v => (JsonNode)v).ToArray());
    private static double[] Doubles(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<double>()).ToArray() ?? [];
    private static string[] StringArray(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];
}
