using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Runtime.Tests;

/// <summary>The float reference runtime reproduces real PyTorch (../shared/data/torch) to 1e-10.</summary>
public class FloatReferenceTests
{
    [SkippableTheory]
    [InlineData("rnn_l1", CellType.Rnn)]
    [InlineData("rnn_l2", CellType.Rnn)]
    [InlineData("lstm_l1", CellType.Lstm)]
    [InlineData("lstm_l2", CellType.Lstm)]
    [InlineData("gru_l1", CellType.Gru)]
    [InlineData("gru_l2", CellType.Gru)]
    public void Streaming_float_steps_match_pytorch(string file, CellType cell)
    {
        string? path = TestPaths.SharedFile("torch", file + ".safetensors");
        Skip.If(path is null, "../shared/data/torch is not present");
        var contents = SafeTensorsFile.Read(path);
        var t = contents.Tensors;
        int steps = t["x"].Shape[0], batch = t["x"].Shape[1], inputs = t["x"].Shape[2];
        int layers = t["h0"].Shape[0], hidden = t["h0"].Shape[2], outputs = t["y"].Shape[2];
        var model = new FloatModel
        {
            Cell = cell,
            Task = TaskKind.Forecast,
            InputSize = inputs,
            HiddenSize = hidden,
            Layers = layers,
            OutputSize = outputs,
            Parameters = t.Where(kv => kv.Key.StartsWith("rnn.") || kv.Key.StartsWith("head.")).ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        for (int b = 0; b < batch; b++)
        {
            var reference = new FloatReference(model);
            for (int k = 0; k < layers; k++)
            {
                for (int j = 0; j < hidden; j++)
                {
                    reference.Hidden(k)[j] = t["h0"].Data[(k * batch + b) * hidden + j];
                    if (cell == CellType.Lstm) reference.CellState(k)[j] = t["c0"].Data[(k * batch + b) * hidden + j];
                }
            }
            for (int s = 0; s < steps; s++)
            {
                var x = Enumerable.Range(0, inputs).Select(i => t["x"].Data[(s * batch + b) * inputs + i]).ToArray();
                var y = reference.Step(x);
                for (int o = 0; o < outputs; o++) Assert.Equal(t["y"].Data[(s * batch + b) * outputs + o], y[o], 1e-10);
            }
            for (int k = 0; k < layers; k++)
                for (int j = 0; j < hidden; j++)
                    Assert.Equal(t["h_n"].Data[(k * batch + b) * hidden + j], reference.Hidden(k)[j], 1e-10);
        }
    }
}
