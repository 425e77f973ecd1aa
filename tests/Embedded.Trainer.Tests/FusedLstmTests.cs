using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;

namespace Embedded.Trainer.Tests;

/// <summary>
/// The fused LSTM forward step (taken when H is a whole number of vectors) against a plain scalar LSTM written out
/// here from the PyTorch equations: final h and c after several steps, in double and in float32, with a batch that
/// leaves a tail row after the 4-row tiles.
/// </summary>
public class FusedLstmTests
{
    [Theory]
    [InlineData(ComputePrecision.Float64, 16, 1e-12), InlineData(ComputePrecision.Float32, 16, 2e-5)]
    [InlineData(ComputePrecision.Float64, 32, 1e-12), InlineData(ComputePrecision.Float32, 32, 2e-5)]
    public void FinalStateMatchesScalarLstm(ComputePrecision precision, int hidden, double tolerance)
    {
        const int steps = 6, batch = 5, inputs = 3;
        var random = new Random(21);
        var model = FloatModelFactory.Create(CellType.Lstm, TaskKind.Forecast, inputs, hidden, 1, false, 1, random);
        double[] x = Enumerable.Range(0, steps * batch * inputs).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var seq = new SequenceModel(model, precision);
        var initial = seq.Network.NewState(batch);
        for (int i = 0; i < initial.H[0].Length; i++) { initial.H[0][i] = Math.Sin(i) * 0.7; initial.C[0][i] = Math.Cos(i) * 1.5; }
        seq.ForwardAll(x, steps, batch, initial);
        var final = seq.Network.NewState(batch);
        seq.Network.CopyFinalState(final);

        double[] wih = model[FloatModel.RnnName("weight_ih", 0, false)].Data, whh = model[FloatModel.RnnName("weight_hh", 0, false)].Data;
        double[] bih = model[FloatModel.RnnName("bias_ih", 0, false)].Data, bhh = model[FloatModel.RnnName("bias_hh", 0, false)].Data;
        double[] h = (double[])initial.H[0].Clone(), c = (double[])initial.C[0].Clone();
        for (int t = 0; t < steps; t++)
        {
            var hNext = new double[h.Length];
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < hidden; j++)
                {
                    var a = new double[4];
                    for (int q = 0; q < 4; q++)
                    {
                        int row = q * hidden + j;
                        double sum = bih[row] + bhh[row];
                        for (int k = 0; k < inputs; k++) sum += wih[row * inputs + k] * x[(t * batch + b) * inputs + k];
                        for (int k = 0; k < hidden; k++) sum += whh[row * hidden + k] * h[b * hidden + k];
                        a[q] = sum;
                    }
                    double i = Sigmoid(a[0]), f = Sigmoid(a[1]), g = Math.Tanh(a[2]), o = Sigmoid(a[3]);
                    int at = b * hidden + j;
                    c[at] = f * c[at] + i * g;
                    hNext[at] = o * Math.Tanh(c[at]);
                }
            h = hNext;
        }
        for (int i = 0; i < h.Length; i++)
        {
            Assert.True(Math.Abs(final.H[0][i] - h[i]) < tolerance, $"h[{i}]: {final.H[0][i]} vs {h[i]}");
            Assert.True(Math.Abs(final.C[0][i] - c[i]) < tolerance * 4, $"c[{i}]: {final.C[0][i]} vs {c[i]}");
        }
    }

    private static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));
}
