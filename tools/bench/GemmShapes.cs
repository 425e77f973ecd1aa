using Embedded.Trainer.Numerics;

namespace Embedded.Bench;

/// <summary>`gemm-shapes`: GFLOP/s (thread CPU time) of the trainer's product shapes at H=128, T·B = 3200 (development aid).</summary>
internal static class GemmShapes
{
    public static void Run(int h)
    {
        const int rows = 3200, batch = 32;
        var rnd = new Random(1);
        float[] R(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)(rnd.NextDouble() - 0.5); return a; }
        float[] dG = R(4 * rows * h), hPrev = R(rows * h), gW = R(h * h), whh = R(4 * h * (h + 16)), dhNext = R(batch * h), whhT = R(h * 4 * h), act = R(4 * batch * h);
        void Time(string name, double flop, Action f)
        {
            for (int i = 0; i < 5; i++) f();
            int reps = Math.Max(3, (int)(2e8 / flop));
            double best = double.MaxValue;
            for (int round = 0; round < 5; round++)
            {
                double t0 = TrainingBenchmarks.ThreadCpuSecondsPublic();
                for (int i = 0; i < reps; i++) f();
                best = Math.Min(best, (TrainingBenchmarks.ThreadCpuSecondsPublic() - t0) / reps);
            }
            Console.WriteLine(FormattableString.Invariant($"{name,-40} {best * 1e6:F2} µs  {flop / best / 1e9:F1} GFLOP/s"));
        }
        {
            int input = 4;
            float[] w = R((input + h) * 4 * h), bias = R(4 * h), x = R(batch * input), hp = R(batch * h), cp = R(batch * h);
            float[] a4 = new float[4 * batch * h], c = new float[batch * h], tc = new float[batch * h], hn = new float[batch * h];
            Time($"fused LSTM step B=32 I=4 H={h}", 2.0 * batch * (input + h) * 4 * h,
                () => Embedded.Trainer.Cells.LstmFusedForward.Step<float>(x, hp, cp, w, bias, a4, c, tc, hn, batch, input, h));
            // act's gate blocks 64 bytes apart more than B·H, as RecurrentUnit lays them out for LSTM
            int stride = batch * h + 16;
            float[] a4p = new float[4 * stride];
            Time($"fused LSTM step, act gate blocks padded", 2.0 * batch * (input + h) * 4 * h,
                () => Embedded.Trainer.Cells.LstmFusedForward.Step<float>(x, hp, cp, w, bias, a4p, c, tc, hn, batch, input, h, stride));
            Time($"fused LSTM step (again, unpadded)", 2.0 * batch * (input + h) * 4 * h,
                () => Embedded.Trainer.Cells.LstmFusedForward.Step<float>(x, hp, cp, w, bias, a4, c, tc, hn, batch, input, h));
        }
        Time($"dWhh  m={h} k=3200 n={h} (A transposed)", 2.0 * h * rows * h,
            () => Blas.Gemm<float>(dG, 1, h, hPrev, h, gW, h, h, rows, h, accumulate: true));
        {
            float[] gW4 = R(4 * h * h), scratch = new float[h * h];
            Time($"dWhh 4 gates, one call per gate", 4 * 2.0 * h * rows * h,
                () => { for (int q = 0; q < 4; q++) Blas.TransposedMatMulAdd<float>(dG.AsSpan(q * rows * h), h, hPrev, h, gW4.AsSpan(q * h * h), h, rows, h, h, scratch); });
            Time($"dWhh 4 gates, TransposedMatMulAddBlocks", 4 * 2.0 * h * rows * h,
                () => Blas.TransposedMatMulAddBlocks<float>(dG, h, rows * h, 4, hPrev, h, gW4, h, rows, h, h, scratch));
        }
        Time($"dh    m=32 k={4 * h} n={h} (depth blocks)", 2.0 * batch * 4 * h * h,
            () => Blas.Gemm<float>(dG, h, 1, whh, h + 16, dhNext, h, batch, 4 * h, h, GemmStart.Accumulate, default, 0, new GemmBlocks(0, 0, 0, h, rows * h)));
        Time($"fwd   m=32 k={h} n={4 * h} (column blocks)", 2.0 * batch * h * 4 * h,
            () => Blas.Gemm<float>(hPrev, h, 1, whhT, 4 * h, act, h, batch, h, 4 * h, GemmStart.Accumulate, default, 0, new GemmBlocks(h, batch * h, h, 0, 0)));
    }
}
