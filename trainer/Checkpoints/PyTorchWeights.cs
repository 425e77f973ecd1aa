using Embedded.Shared.Model;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Checkpoints;

/// <summary>
/// Moves weights to and from PyTorch as safetensors under PyTorch's own names (rnn.weight_ih_l0, ...,
/// head.weight, head.bias), i.e. the state_dict of a module holding `rnn = nn.LSTM(...)` and `head = nn.Linear(...)`.
/// </summary>
public static class PyTorchWeights
{
    /// <summary>Writes only the PyTorch parameters (F32 by default, as PyTorch models usually are; F64 on request).</summary>
    public static void Export(string path, FloatModel model, bool asFloat32 = true)
    {
        FloatModelFactory.Validate(model, "model to export");
        var meta = new Dictionary<string, string>
        {
            ["cell"] = model.Cell.ToString().ToLowerInvariant(),
            ["hidden_size"] = model.HiddenSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["num_layers"] = model.Layers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["bidirectional"] = model.Bidirectional ? "true" : "false",
            ["task"] = model.Task.ToString(),
        };
        SafeTensorsFile.Write(path, FloatModelFactory.ParameterNames(model).Select(n => new KeyValuePair<string, Tensor>(n, model[n])), meta, asFloat32);
    }

    /// <summary>
    /// Reads PyTorch weights and infers the shape: the cell from weight_hh_l0's rows/cols ratio (1 RNN, 4 LSTM, 3 GRU),
    /// layers from the highest _l{k}, bidirectional from any _reverse name, input size from weight_ih_l0, outputs from head.weight.
    /// Settings that weights cannot carry (task, normalisation, columns) come from <paramref name="template"/>.
    /// </summary>
    public static FloatModel Import(string path, TaskKind task, FloatModel? template = null)
    {
        var contents = SafeTensorsFile.Read(path);
        var tensors = contents.Tensors;
        // Exact PyTorch names win; otherwise accept one prefix such as "model." in front of a name.
        var renamed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in tensors)
            if (name.StartsWith("rnn.", StringComparison.Ordinal) || name.StartsWith("head.", StringComparison.Ordinal)) renamed[name] = t;
        if (renamed.Count == 0)
            foreach (var (name, t) in tensors)
            {
                int dot = name.IndexOf('.');
                string rest = dot >= 0 ? name[(dot + 1)..] : name;
                if (rest.StartsWith("rnn.", StringComparison.Ordinal) || rest.StartsWith("head.", StringComparison.Ordinal)) renamed[rest] = t;
            }
        if (!renamed.TryGetValue("rnn.weight_hh_l0", out Tensor? whh) || whh.Shape.Length != 2)
            throw new SafeTensorsFormatException(path, "no 2-D tensor 'rnn.weight_hh_l0' (expected PyTorch nn.RNN/LSTM/GRU names)");
        int hidden = whh.Shape[1];
        int ratio = whh.Shape[0] / Math.Max(1, hidden);
        if (whh.Shape[0] != ratio * hidden || ratio is not (1 or 3 or 4))
            throw new SafeTensorsFormatException(path, $"rnn.weight_hh_l0 has shape [{whh.Shape[0]},{whh.Shape[1]}]: rows must be 1, 3 or 4 times the hidden size");
        CellType cell = ratio switch { 1 => CellType.Rnn, 4 => CellType.Lstm, _ => CellType.Gru };
        int layers = 0;
        while (renamed.ContainsKey(FloatModel.RnnName("weight_hh", layers))) layers++;
        bool bidirectional = renamed.ContainsKey(FloatModel.RnnName("weight_hh", 0, true));
        if (!renamed.TryGetValue("rnn.weight_ih_l0", out Tensor? wih) || wih.Shape.Length != 2)
            throw new SafeTensorsFormatException(path, "no 2-D tensor 'rnn.weight_ih_l0'");
        if (!renamed.TryGetValue("head.weight", out Tensor? headWeight) || headWeight.Shape.Length != 2)
            throw new SafeTensorsFormatException(path, "no 2-D tensor 'head.weight' (the dense head)");
        var model = FloatModelFactory.WithShape(template, cell, task, wih.Shape[1], hidden, layers, bidirectional, headWeight.Shape[0]);
        foreach (string name in FloatModelFactory.ParameterNames(model))
            if (renamed.TryGetValue(name, out Tensor? t)) model.Parameters[name] = t;
        try { FloatModelFactory.Validate(model, path); }
        catch (InvalidDataException e) { throw new SafeTensorsFormatException(path, e.Message); }
        return model;
    }
}
