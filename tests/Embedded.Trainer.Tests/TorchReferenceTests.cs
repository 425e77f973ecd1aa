using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;
using Embedded.Trainer.Training;

namespace Embedded.Trainer.Tests;

/// <summary>Forward outputs, final states, every gradient and 20 clipped Adam steps against real PyTorch (float64).</summary>
public class TorchReferenceTests
{
    private const double Tolerance = 1e-10;

    [SkippableTheory]
    [InlineData("rnn_l1"), InlineData("rnn_l2"), InlineData("rnn_l1_bi")]
    [InlineData("lstm_l1"), InlineData("lstm_l2"), InlineData("lstm_l1_bi")]
    [InlineData("gru_l1"), InlineData("gru_l2"), InlineData("gru_l1_bi")]
    public void ForwardAndGradientsMatchPyTorch(string name)
    {
        string? path = TestPaths.SharedFile("torch", name + ".safetensors");
        Skip.If(path is null, "../shared/data/torch is absent");
        var file = SafeTensorsFile.Read(path!);
        var t = file.Tensors;
        FloatModel model = PyTorchWeights.Import(path!, TaskKind.Forecast);
        int steps = t["x"].Shape[0], batch = t["x"].Shape[1];
        var seq = new SequenceModel(model);
        var h0 = ToState(seq, t["h0"], t.GetValueOrDefault("c0"), batch);

        var y = seq.ForwardAll(t["x"].Data, steps, batch, h0).ToArray();
        AssertClose(t["y"].Data, y, "y");
        AssertClose(t["out"].Data, seq.Network.TopOutputMemory.ToArray(), "out");
        var final = seq.Network.NewState(batch);
        seq.Network.CopyFinalState(final);
        AssertClose(t["h_n"].Data, Flatten(final.H), "h_n");
        if (t.ContainsKey("c_n")) AssertClose(t["c_n"].Data, Flatten(final.C), "c_n");

        var dFinal = ToState(seq, t["w_h"], t.GetValueOrDefault("w_c"), batch);
        var dInitial = seq.Network.NewState(batch);
        seq.ZeroGradients();
        seq.BackwardAll(t["w_y"].Data, dFinal, inputGradient: true, initialGradient: dInitial);
        foreach (string p in seq.ParameterNames) AssertClose(t["grad." + p].Data, seq.Gradients[p].Data, "grad." + p);
        AssertClose(t["grad.x"].Data, seq.Network.InputGradient.ToArray(), "grad.x");
        AssertClose(t["grad.h0"].Data, Flatten(dInitial.H), "grad.h0");
        if (t.ContainsKey("grad.c0")) AssertClose(t["grad.c0"].Data, Flatten(dInitial.C), "grad.c0");
    }

    [SkippableTheory]
    [InlineData("rnn"), InlineData("lstm"), InlineData("gru")]
    public void TwentyClippedAdamStepsMatchPyTorch(string cell)
    {
        string? path = TestPaths.SharedFile("torch", $"adam_{cell}.safetensors");
        Skip.If(path is null, "../shared/data/torch is absent");
        var t = SafeTensorsFile.Read(path!).Tensors;
        var init = t.Where(p => p.Key.StartsWith("init.")).ToDictionary(p => p.Key[5..], p => p.Value);
        string tmp = Path.Combine(TestPaths.NewTempDir(), "init.safetensors");
        SafeTensorsFile.Write(tmp, init);
        FloatModel model = PyTorchWeights.Import(tmp, TaskKind.Forecast);
        var seq = new SequenceModel(model);
        int steps = t["x"].Shape[0], batch = t["x"].Shape[1];
        var adam = new AdamOptimizer(0.01);
        double[] losses = t["losses"].Data;
        var dy = new double[steps * batch * model.OutputSize];
        for (int step = 0; step < losses.Length; step++)
        {
            seq.ZeroGradients();
            var y = seq.ForwardAll(t["x"].Data, steps, batch);
            double loss = Losses.MeanSquaredError(y, t["target"].Data, dy);
            Assert.True(Math.Abs(loss - losses[step]) <= Tolerance * Math.Max(1, Math.Abs(losses[step])), $"step {step}: loss {loss} vs {losses[step]}");
            seq.BackwardAll(dy);
            GradientClipping.ClipGlobalNorm(seq.ParameterNames.Select(n => seq.Gradients[n].Data), 1.0);
            adam.Step(model.Parameters, seq.Gradients);
            seq.ParametersChanged();
        }
        foreach (string p in seq.ParameterNames) AssertClose(t["final." + p].Data, model[p].Data, "final." + p);
    }

    private static RecurrentState ToState(SequenceModel seq, Tensor h, Tensor? c, int batch)
    {
        var state = seq.Network.NewState(batch);
        int size = batch * seq.Network.Hidden;
        for (int u = 0; u < state.H.Length; u++)
        {
            Array.Copy(h.Data, u * size, state.H[u], 0, size);
            if (c is not null) Array.Copy(c.Data, u * size, state.C[u], 0, size);
        }
        return state;
    }

    private static double[] Flatten(double[][] parts) => parts.SelectMany(p => p).ToArray();

    internal static void AssertClose(double[] expected, double[] actual, string what, double tolerance = Tolerance)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}");
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale, $"{what}[{i}]: {actual[i]:R} vs PyTorch {expected[i]:R}");
    }
}
