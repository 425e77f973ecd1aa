using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;
using Embedded.Trainer.Training;

namespace Embedded.Trainer.Tests;

/// <summary>
/// Central finite differences (double) against BPTT for every cell, stacked, bidirectional, many-to-one with
/// cross-entropy, and truncated BPTT (a window that starts from the state carried over from the previous one):
/// relative error below 1e-6 on every parameter tensor.
/// </summary>
public class GradientCheckTests
{
    private const int Steps = 5, Batch = 2, Inputs = 3, Hidden = 4, Outputs = 2;

    public static TheoryData<CellType, int, bool> Shapes()
    {
        var data = new TheoryData<CellType, int, bool>();
        foreach (CellType cell in new[] { CellType.Rnn, CellType.Lstm, CellType.Gru })
        {
            data.Add(cell, 1, false);
            data.Add(cell, 2, false);
            data.Add(cell, 1, true);
            data.Add(cell, 2, true);
        }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ManyToManyWithFinalStateLoss(CellType cell, int layers, bool bidirectional)
    {
        var random = new Random(7);
        var model = FloatModelFactory.Create(cell, TaskKind.Forecast, Inputs, Hidden, layers, bidirectional, Outputs, random);
        var seq = new SequenceModel(model);
        double[] x = RandomArray(random, Steps * Batch * Inputs);
        double[] wy = RandomArray(random, Steps * Batch * Outputs);
        var h0 = RandomState(seq, random);
        var wFinal = RandomState(seq, random);

        double Loss()
        {
            double loss = Dot(seq.ForwardAll(x, Steps, Batch, h0), wy);
            var final = seq.Network.NewState(Batch);
            seq.Network.CopyFinalState(final);
            for (int u = 0; u < final.H.Length; u++) loss += Dot(final.H[u], wFinal.H[u]) + Dot(final.C[u], wFinal.C[u]);
            return loss;
        }

        Loss();
        seq.ZeroGradients();
        seq.BackwardAll(wy, wFinal);
        AssertGradients(seq, Loss);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ManyToOneCrossEntropy(CellType cell, int layers, bool bidirectional)
    {
        var random = new Random(11);
        var model = FloatModelFactory.Create(cell, TaskKind.Classify, Inputs, Hidden, layers, bidirectional, Outputs + 1, random);
        var seq = new SequenceModel(model);
        double[] x = RandomArray(random, Steps * Batch * Inputs);
        int[] labels = [2, 0];
        var dy = new double[Batch * (Outputs + 1)];
        double Loss() => Losses.CrossEntropy(seq.ForwardLast(x, Steps, Batch), labels, dy, Outputs + 1);

        Loss();
        seq.ZeroGradients();
        seq.BackwardLast(dy);
        AssertGradients(seq, Loss);
    }

    [Theory]
    [InlineData(CellType.Rnn, 1), InlineData(CellType.Lstm, 1), InlineData(CellType.Gru, 1)]
    [InlineData(CellType.Rnn, 2), InlineData(CellType.Lstm, 2), InlineData(CellType.Gru, 2)]
    public void TruncatedBpttWindowFromCarriedState(CellType cell, int layers)
    {
        var random = new Random(13);
        var model = FloatModelFactory.Create(cell, TaskKind.Forecast, Inputs, Hidden, layers, false, Outputs, random);
        var seq = new SequenceModel(model);
        double[] first = RandomArray(random, Steps * Batch * Inputs), second = RandomArray(random, Steps * Batch * Inputs);
        double[] target = RandomArray(random, Steps * Batch * Outputs);
        var carried = seq.Network.NewState(Batch);
        seq.ForwardAll(first, Steps, Batch);
        seq.Network.CopyFinalState(carried);   // detached: held fixed while the parameters move
        var dy = new double[Steps * Batch * Outputs];
        double Loss() => Losses.MeanSquaredError(seq.ForwardAll(second, Steps, Batch, carried), target, dy);

        Loss();
        seq.ZeroGradients();
        seq.BackwardAll(dy);
        AssertGradients(seq, Loss);
    }

    /// <summary>
    /// LSTM on whole 512-/256-bit vectors of hidden units takes the fused forward pass (one kernel per step: product, gates,
    /// cell update); 8 units and 5 rows cover a 4-row tile and a tail row, both directions, and the carried state.
    /// </summary>
    [Theory]
    [InlineData(false), InlineData(true)]
    public void FusedLstmForwardOnWholeVectors(bool bidirectional)
    {
        const int hidden = 8, batch = 5;
        var random = new Random(17);
        var model = FloatModelFactory.Create(CellType.Lstm, TaskKind.Forecast, Inputs, hidden, 1, bidirectional, Outputs, random);
        var seq = new SequenceModel(model);
        double[] x = RandomArray(random, Steps * batch * Inputs);
        double[] wy = RandomArray(random, Steps * batch * Outputs);
        var h0 = seq.Network.NewState(batch);
        var wFinal = seq.Network.NewState(batch);
        foreach (var state in new[] { h0, wFinal })
        {
            foreach (var h in state.H) for (int i = 0; i < h.Length; i++) h[i] = random.NextDouble() - 0.5;
            foreach (var c in state.C) for (int i = 0; i < c.Length; i++) c[i] = random.NextDouble() - 0.5;
        }

        double Loss()
        {
            double loss = Dot(seq.ForwardAll(x, Steps, batch, h0), wy);
            var final = seq.Network.NewState(batch);
            seq.Network.CopyFinalState(final);
            for (int u = 0; u < final.H.Length; u++) loss += Dot(final.H[u], wFinal.H[u]) + Dot(final.C[u], wFinal.C[u]);
            return loss;
        }

        Loss();
        seq.ZeroGradients();
        seq.BackwardAll(wy, wFinal);
        AssertGradients(seq, Loss);
    }

    private static void AssertGradients(SequenceModel seq, Func<double> loss)
    {
        const double eps = 1e-5;
        foreach (string name in seq.ParameterNames)
        {
            double[] w = seq.Model[name].Data, analytic = seq.Gradients[name].Data;
            var numeric = new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                double keep = w[i];
                w[i] = keep + eps; seq.ParametersChanged(); double up = loss();
                w[i] = keep - eps; seq.ParametersChanged(); double down = loss();
                w[i] = keep; seq.ParametersChanged();
                numeric[i] = (up - down) / (2 * eps);
            }
            double diff = 0, a = 0, n = 0;
            for (int i = 0; i < w.Length; i++) { diff += Math.Pow(analytic[i] - numeric[i], 2); a += analytic[i] * analytic[i]; n += numeric[i] * numeric[i]; }
            double relative = Math.Sqrt(diff) / Math.Max(1e-12, Math.Max(Math.Sqrt(a), Math.Sqrt(n)));
            Assert.True(relative < 1e-6, $"{name}: relative error {relative:E2}");
            Assert.True(a > 0, $"{name}: gradient is all zero (nothing checked)");
        }
    }

    private static RecurrentState RandomState(SequenceModel seq, Random random)
    {
        var s = seq.Network.NewState(Batch);
        foreach (var h in s.H) for (int i = 0; i < h.Length; i++) h[i] = random.NextDouble() - 0.5;
        foreach (var c in s.C) for (int i = 0; i < c.Length; i++) c[i] = random.NextDouble() - 0.5;
        return s;
    }

    private static double[] RandomArray(Random random, int n)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = random.NextDouble() * 2 - 1;
        return a;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
