using Embedded.Trainer.Model;

namespace Embedded.Evaluation.Detection;

/// <summary>
/// Folds several single-layer forecasters trained on the same rows into one wider model whose forecast is
/// their mean: each member keeps its own block of hidden units (its recurrent weights sit on the block
/// diagonal, zeros elsewhere) and the head averages the members' heads. The result is an ordinary model
/// of the same cell, so it quantizes and runs on a device like any other.
/// </summary>
public static class ForecastEnsemble
{
    public static FloatModel Merge(IReadOnlyList<FloatModel> members)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member");
        var first = members[0];
        if (members.Count == 1) return first;
        foreach (var m in members)
        {
            if (m.Layers != 1 || m.Bidirectional) throw new ArgumentException("only single-layer, one-direction forecasters can be merged");
            if (m.Cell != first.Cell || m.HiddenSize != first.HiddenSize || m.InputSize != first.InputSize || m.OutputSize != first.OutputSize)
                throw new ArgumentException("ensemble members must share cell, hidden, input and output sizes");
        }
        int count = members.Count, hidden = first.HiddenSize, wide = hidden * count, gates = first.Gates;
        int inputs = first.InputSize, outputs = first.OutputSize;
        var merged = FloatModelFactory.WithShape(first, first.Cell, first.Task, inputs, wide, 1, false, outputs);
        var weightIh = new Tensor([gates * wide, inputs]);
        var weightHh = new Tensor([gates * wide, wide]);
        var biasIh = new Tensor([gates * wide]);
        var biasHh = new Tensor([gates * wide]);
        var headWeight = new Tensor([outputs, wide]);
        var headBias = new Tensor([outputs]);
        for (int k = 0; k < count; k++)
        {
            var m = members[k];
            var ih = m[FloatModel.RnnName("weight_ih", 0)];
            var hh = m[FloatModel.RnnName("weight_hh", 0)];
            var bih = m[FloatModel.RnnName("bias_ih", 0)];
            var bhh = m[FloatModel.RnnName("bias_hh", 0)];
            for (int g = 0; g < gates; g++)
                for (int j = 0; j < hidden; j++)
                {
                    int from = g * hidden + j, to = g * wide + k * hidden + j;
                    Array.Copy(ih.Data, from * inputs, weightIh.Data, to * inputs, inputs);
                    Array.Copy(hh.Data, from * hidden, weightHh.Data, to * wide + k * hidden, hidden);
                    biasIh.Data[to] = bih.Data[from];
                    biasHh.Data[to] = bhh.Data[from];
                }
            var hw = m["head.weight"];
            var hb = m["head.bias"];
            for (int o = 0; o < outputs; o++)
            {
                for (int j = 0; j < hidden; j++) headWeight.Data[o * wide + k * hidden + j] = hw.Data[o * hidden + j] / count;
                headBias.Data[o] += hb.Data[o] / count;
            }
        }
        merged.Parameters[FloatModel.RnnName("weight_ih", 0)] = weightIh;
        merged.Parameters[FloatModel.RnnName("weight_hh", 0)] = weightHh;
        merged.Parameters[FloatModel.RnnName("bias_ih", 0)] = biasIh;
        merged.Parameters[FloatModel.RnnName("bias_hh", 0)] = biasHh;
        merged.Parameters["head.weight"] = headWeight;
        merged.Parameters["head.bias"] = headBias;
        FloatModelFactory.Validate(merged, "ensemble");
        return merged;
    }
}
