using Embedded.Shared.Model;
using Embedded.Trainer.Data;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;
using Embedded.Trainer.Numerics;
using Embedded.Trainer.Training;
using System.Runtime.Intrinsics;

namespace Embedded.Trainer.Tests;

/// <summary>
/// The float32 path (the training default) against the float64 one (which the gradient checks and the PyTorch
/// references pin down): same outputs, states and gradients within float tolerance, and it still learns.
/// Also the strided GEMM kernel against a naive product, for every tile shape, stride and start mode.
/// </summary>
public class PrecisionTests
{
    public static TheoryData<CellType, int, int, bool> Shapes()
    {
        var data = new TheoryData<CellType, int, int, bool>();
        foreach (CellType cell in new[] { CellType.Rnn, CellType.Lstm, CellType.Gru })
        {
            data.Add(cell, 32, 1, false);   // whole 512-bit float vectors
            data.Add(cell, 5, 2, false);    // scalar tails, stacked
            data.Add(cell, 16, 1, true);    // bidirectional
            data.Add(cell, 16, 2, true);    // stacked bidirectional: the second layer's input is 2H wide
        }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Float32ManyToManyMatchesFloat64(CellType cell, int hidden, int layers, bool bidirectional)
    {
        const int steps = 7, batch = 6, inputs = 3, outputs = 2;
        var random = new Random(5);
        var model = FloatModelFactory.Create(cell, TaskKind.Forecast, inputs, hidden, layers, bidirectional, outputs, random);
        double[] x = Enumerable.Range(0, steps * batch * inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] dy = Enumerable.Range(0, steps * batch * outputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();

        (double[] Y, RecurrentState Final, Dictionary<string, double[]> Grads, double[] Dx, RecurrentState DInitial) Run(ComputePrecision precision)
        {
            var seq = new SequenceModel(model, precision);
            var h0 = seq.Network.NewState(batch);
            foreach (double[] h in h0.H) for (int i = 0; i < h.Length; i++) h[i] = Math.Sin(i + 1) * 0.5;
            foreach (double[] c in h0.C) for (int i = 0; i < c.Length; i++) c[i] = Math.Cos(i) * 0.5;
            seq.ZeroGradients();
            double[] y = seq.ForwardAll(x, steps, batch, h0).ToArray();
            var final = seq.Network.NewState(batch);
            seq.Network.CopyFinalState(final);
            var dInitial = seq.Network.NewState(batch);
            seq.BackwardAll(dy, null, inputGradient: true, initialGradient: dInitial);
            return (y, final, seq.Gradients.ToDictionary(p => p.Key, p => p.Value.Data), seq.Network.InputGradient.ToArray(), dInitial);
        }

        var single = Run(ComputePrecision.Float32);
        var reference = Run(ComputePrecision.Float64);
        AssertClose(reference.Y, single.Y, "y");
        for (int u = 0; u < reference.Final.H.Length; u++)
        {
            AssertClose(reference.Final.H[u], single.Final.H[u], "h_n");
            AssertClose(reference.Final.C[u], single.Final.C[u], "c_n");
            AssertClose(reference.DInitial.H[u], single.DInitial.H[u], "dh0");
            AssertClose(reference.DInitial.C[u], single.DInitial.C[u], "dc0");
        }
        foreach (var (name, g) in reference.Grads) AssertClose(g, single.Grads[name], name);
        AssertClose(reference.Dx, single.Dx, "dx");
    }

    [Theory]
    [InlineData(CellType.Lstm, false), InlineData(CellType.Gru, true)]
    public void Float32ManyToOneMatchesFloat64(CellType cell, bool bidirectional)
    {
        const int steps = 9, batch = 4, inputs = 2, classes = 3;
        var random = new Random(8);
        var model = FloatModelFactory.Create(cell, TaskKind.Classify, inputs, 24, 1, bidirectional, classes, random);
        double[] x = Enumerable.Range(0, steps * batch * inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] dy = Enumerable.Range(0, batch * classes).Select(_ => random.NextDouble() - 0.5).ToArray();
        (double[] Y, Dictionary<string, double[]> Grads) Run(ComputePrecision precision)
        {
            var seq = new SequenceModel(model, precision);
            seq.ZeroGradients();
            double[] y = seq.ForwardLast(x, steps, batch).ToArray();
            seq.BackwardLast(dy);
            return (y, seq.Gradients.ToDictionary(p => p.Key, p => (double[])p.Value.Data.Clone()));
        }
        var single = Run(ComputePrecision.Float32);
        var reference = Run(ComputePrecision.Float64);
        AssertClose(reference.Y, single.Y, "y");
        foreach (var (name, g) in reference.Grads) AssertClose(g, single.Grads[name], name);
    }

    [Theory]
    [InlineData(CellType.Lstm), InlineData(CellType.Gru)]
    public void Float32TrainingLearnsLikeFloat64(CellType cell)
    {
        var data = CsvSeries.Load(TrainingTests.NoisySineCsv(), null, ["value"], "timestamp");
        TrainingReport Train(ComputePrecision precision) => ModelTrainer.TrainForecast(data, new TrainOptions
        {
            Cell = cell, Hidden = 32, Window = 32, Epochs = 4, Stride = 2, Patience = 0, Seed = 3, LearningRate = 0.01, Precision = precision,
        }).Report;
        var single = Train(ComputePrecision.Float32);
        var reference = Train(ComputePrecision.Float64);
        Assert.True(single.ValRmse < 0.8 * single.BaselineRmse, $"float32 val_rmse {single.ValRmse} vs persistence {single.BaselineRmse}");
        Assert.True(Math.Abs(single.ValRmse!.Value - reference.ValRmse!.Value) < 0.1 * reference.ValRmse.Value,
            $"float32 val_rmse {single.ValRmse} vs float64 {reference.ValRmse}");
    }

    public static TheoryData<int, int, int, bool, bool> GemmShapes()
    {
        var data = new TheoryData<int, int, int, bool, bool>();
        foreach (int m in new[] { 1, 4, 7 })
            foreach (int n in new[] { 3, 16, 37, 64, 100 })
            {
                data.Add(m, 300, n, false, true);
                data.Add(m, 5, n, true, false);
            }
        return data;
    }

    [Theory, MemberData(nameof(GemmShapes))]
    public void GemmMatchesNaiveProduct(int m, int k, int n, bool transposedA, bool accumulate)
    {
        Check<double>(m, k, n, transposedA, accumulate, 1e-12);
        Check<float>(m, k, n, transposedA, accumulate, 2e-5);
    }

    private static void Check<T>(int m, int k, int n, bool transposedA, bool accumulate, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(m * 1000 + k * 10 + n);
        int ldb = n + 3, ldc = n + 2;   // padded rows: the kernel must honour the strides
        T R() => T.CreateTruncating(random.NextDouble() * 2 - 1);
        T[] a = Enumerable.Range(0, m * k).Select(_ => R()).ToArray();
        T[] b = Enumerable.Range(0, k * ldb).Select(_ => R()).ToArray();
        T[] bias = Enumerable.Range(0, n).Select(_ => R()).ToArray();
        T[] c = Enumerable.Range(0, m * ldc).Select(_ => R()).ToArray();
        T[] before = (T[])c.Clone();
        // transposedA: A is stored (k × m) and read column-wise.
        int aRow = transposedA ? 1 : k, aCol = transposedA ? m : 1;
        Blas.Gemm<T>(a, aRow, aCol, b, ldb, c, ldc, m, k, n, accumulate, accumulate ? default : bias);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                if (j >= n) { Assert.Equal(before[i * ldc + j], c[i * ldc + j]); continue; }
                double want = accumulate ? double.CreateTruncating(before[i * ldc + j]) : double.CreateTruncating(bias[j]);
                for (int p = 0; p < k; p++) want += double.CreateTruncating(a[i * aRow + p * aCol]) * double.CreateTruncating(b[p * ldb + j]);
                Assert.True(Math.Abs(want - double.CreateTruncating(c[i * ldc + j])) < tolerance * Math.Max(1, Math.Sqrt(k)),
                    $"{typeof(T).Name} C[{i},{j}] = {c[i * ldc + j]}, expected {want}");
            }
    }

    /// <summary>
    /// Issue 17 items 4/5: whatever tile, panel or packing the kernel takes on this CPU (4×4 on AVX-512; 4×3, 2×4, 4×2, 4×1 and
    /// packed panels on AVX2; run the tests with DOTNET_EnableAVX512=0 / DOTNET_EnableAVX2=0 for the other paths), every output
    /// must be exactly the scalar FMA chain over p = 0..k-1 in order from its start value: the same bits on every path.
    /// Shapes cover the packed weight-gradient case (A transposed, m ≥ 8, k ≥ 64), 4-vector-wide products and row/column tails.
    /// </summary>
    [Theory]
    [InlineData(32, 300, 32, true)]
    [InlineData(20, 300, 37, true)]
    [InlineData(13, 130, 32, false)]
    [InlineData(32, 100, 128, true)]
    [InlineData(9, 300, 16, true)]
    public void GemmEqualsTheInOrderFmaChainBitForBit(int m, int k, int n, bool transposedA)
    {
        ExactChain<float>(m, k, n, transposedA);
        ExactChain<double>(m, k, n, transposedA);
    }

    private static void ExactChain<T>(int m, int k, int n, bool transposedA) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(m * 7 + k * 3 + n);
        T R() => T.CreateTruncating(random.NextDouble() * 2 - 1);
        int ldb = n, ldc = n;
        T[] a = Enumerable.Range(0, m * k).Select(_ => R()).ToArray();
        T[] b = Enumerable.Range(0, k * ldb).Select(_ => R()).ToArray();
        T[] c = Enumerable.Range(0, m * ldc).Select(_ => R()).ToArray();
        T[] before = (T[])c.Clone();
        int aRow = transposedA ? 1 : k, aCol = transposedA ? m : 1;
        Blas.Gemm<T>(a, aRow, aCol, b, ldb, c, ldc, m, k, n, accumulate: true);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T want = before[i * ldc + j];
                for (int p = 0; p < k; p++) want = T.FusedMultiplyAdd(a[i * aRow + p * aCol], b[p * ldb + j], want);
                Assert.True(want.Equals(c[i * ldc + j]), $"{typeof(T).Name} {m}×{k}×{n} C[{i},{j}] = {c[i * ldc + j]}, in-order chain {want}");
            }
    }

    /// <summary>
    /// The per-step dL/dh product: A (m × blocks·h) stored as separate depth blocks (the gate-major gradients, blocks `stride`
    /// apart), B padded rows, C from zero or from itself. On the 256-bit path a tile runs through several blocks (A jumping between
    /// them inside it): every output must still be the in-order FMA chain over all blocks, bit for bit.
    /// </summary>
    [Theory]
    [InlineData(32, 32, 4)]
    [InlineData(32, 128, 4)]
    [InlineData(12, 24, 4)]
    [InlineData(10, 32, 3)]
    [InlineData(8, 160, 3)]
    public void DepthBlockedGemmEqualsTheInOrderFmaChainBitForBit(int m, int h, int blocks)
    {
        DepthBlockedChain<float>(m, h, blocks, GemmStart.Zero);
        DepthBlockedChain<float>(m, h, blocks, GemmStart.Accumulate);
        DepthBlockedChain<double>(m, h, blocks, GemmStart.Zero);
        DepthBlockedChain<double>(m, h, blocks, GemmStart.Accumulate);
    }

    private static void DepthBlockedChain<T>(int m, int h, int blocks, GemmStart start) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(m * 11 + h * 5 + blocks);
        T R() => T.CreateTruncating(random.NextDouble() * 2 - 1);
        int stride = 50 * m * h + 16, k = blocks * h, ldb = h + 8;
        T[] a = Enumerable.Range(0, blocks * stride).Select(_ => R()).ToArray();
        T[] b = Enumerable.Range(0, k * ldb).Select(_ => R()).ToArray();
        T[] c = Enumerable.Range(0, m * h).Select(_ => R()).ToArray();
        T[] before = (T[])c.Clone();
        Blas.Gemm<T>(a, h, 1, b, ldb, c, h, m, k, h, start, default, 0, new GemmBlocks(0, 0, 0, h, stride));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < h; j++)
            {
                T want = start == GemmStart.Accumulate ? before[i * h + j] : T.Zero;
                for (int p = 0; p < k; p++) want = T.FusedMultiplyAdd(a[p / h * stride + i * h + p % h], b[p * ldb + j], want);
                Assert.True(want.Equals(c[i * h + j]), $"{typeof(T).Name} m={m} h={h} blocks={blocks} {start} C[{i},{j}] = {c[i * h + j]}, in-order chain {want}");
            }
    }

    /// <summary>
    /// dW_ih with the bias column sums in the same pass (4 inputs, the 256-bit float path; elsewhere it declines and the caller takes
    /// the two separate passes): each weight output is its chain from zero added to C, each sum the rows added in order from zero,
    /// then added: bit for bit what the separate product and <see cref="Blas.AddColumnSums{T}"/> give.
    /// </summary>
    [Theory]
    [InlineData(300, 32)]
    [InlineData(257, 64)]
    [InlineData(64, 16)]
    public void InputWeightGradientWithColumnSumsEqualsTheSeparatePassesBitForBit(int m, int k)
    {
        var random = new Random(m + k);
        float R() => (float)(random.NextDouble() * 2 - 1);
        float[] a = Enumerable.Range(0, m * k).Select(_ => R()).ToArray(), x = Enumerable.Range(0, m * 4).Select(_ => R()).ToArray();
        float[] c = Enumerable.Range(0, k * 4).Select(_ => R()).ToArray(), sum = Enumerable.Range(0, k).Select(_ => R()).ToArray();
        float[] c2 = (float[])c.Clone(), sum2 = (float[])sum.Clone(), before = [.. c, .. sum];
        if (!Blas.TransposedMatMulAddWithColumnSums<float>(a, x, 4, c, 4, sum, m, k)) return;   // not this CPU's path
        Blas.TransposedMatMulAdd<float>(a, k, x, 4, c2, 4, m, k, 4, new float[4 * k]);
        Blas.AddColumnSums<float>(a, sum2, m);
        for (int j = 0; j < k; j++)
        {
            float s = 0;
            for (int p = 0; p < m; p++) s += a[p * k + j];
            Assert.True(BitConverter.SingleToInt32Bits(sum2[j]) == BitConverter.SingleToInt32Bits(sum[j]), $"sum[{j}] = {sum[j]}, separate pass {sum2[j]}");
            Assert.True(BitConverter.SingleToInt32Bits(before[k * 4 + j] + s) == BitConverter.SingleToInt32Bits(sum[j]), $"sum[{j}] = {sum[j]}, in-order sum");
            for (int i = 0; i < 4; i++)
            {
                float chain = 0;
                for (int p = 0; p < m; p++) chain = MathF.FusedMultiplyAdd(x[p * 4 + i], a[p * k + j], chain);
                Assert.True(BitConverter.SingleToInt32Bits(c2[j * 4 + i]) == BitConverter.SingleToInt32Bits(c[j * 4 + i]), $"C[{j},{i}] = {c[j * 4 + i]}, separate {c2[j * 4 + i]}");
                Assert.True(BitConverter.SingleToInt32Bits(before[j * 4 + i] + chain) == BitConverter.SingleToInt32Bits(c[j * 4 + i]), $"C[{j},{i}] = {c[j * 4 + i]}, chain");
            }
        }
    }

    /// <summary>
    /// All gates' weight gradients in one call (<see cref="Blas.TransposedMatMulAddBlocks{T}"/>: one packed product over the stacked
    /// gates on the 256-bit path, one product per gate elsewhere): every output is still the in-order FMA chain, bit for bit.
    /// </summary>
    [Theory]
    [InlineData(128, 32, 4)]
    [InlineData(200, 128, 4)]
    [InlineData(96, 24, 2)]
    [InlineData(70, 20, 4)]
    public void BlockedWeightGradientEqualsTheInOrderFmaChainBitForBit(int rows, int h, int blocks)
    {
        BlockedChain<float>(rows, h, blocks);
        BlockedChain<double>(rows, h, blocks);
    }

    private static void BlockedChain<T>(int rows, int h, int blocks) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(rows * 5 + h * 3 + blocks);
        T R() => T.CreateTruncating(random.NextDouble() * 2 - 1);
        int stride = rows * h + 8;   // blocks apart by more than their size, as the gradients of a longer buffer
        T[] a = Enumerable.Range(0, blocks * stride).Select(_ => R()).ToArray();
        T[] b = Enumerable.Range(0, rows * h).Select(_ => R()).ToArray();
        T[] c = Enumerable.Range(0, blocks * h * h).Select(_ => R()).ToArray();
        T[] before = (T[])c.Clone();
        Blas.TransposedMatMulAddBlocks<T>(a, h, stride, blocks, b, h, c, h, rows, h, h, new T[h * h]);
        for (int q = 0; q < blocks; q++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < h; j++)
                {
                    int at = (q * h + i) * h + j;
                    T want = before[at];
                    for (int p = 0; p < rows; p++) want = T.FusedMultiplyAdd(a[q * stride + p * h + i], b[p * h + j], want);
                    Assert.True(want.Equals(c[at]), $"{typeof(T).Name} rows={rows} h={h} gate {q} C[{i},{j}] = {c[at]}, in-order chain {want}");
                }
    }

    /// <summary>Bias gradients: every column summed over the rows in order (the same bits whatever the vector width or column walk).</summary>
    [Theory]
    [InlineData(300, 20)]
    [InlineData(300, 32)]
    [InlineData(257, 64)]
    [InlineData(100, 128)]
    [InlineData(50, 100)]
    public void ColumnSumsAreTheInOrderSumBitForBit(int m, int n)
    {
        ColumnSums<float>(m, n);
        ColumnSums<double>(m, n);
    }

    private static void ColumnSums<T>(int m, int n) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(m + n);
        T[] a = Enumerable.Range(0, m * n).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        T[] sum = Enumerable.Range(0, n).Select(_ => T.CreateTruncating(random.NextDouble())).ToArray(), before = (T[])sum.Clone();
        Blas.AddColumnSums<T>(a, sum, m);
        for (int j = 0; j < n; j++)
        {
            T total = T.Zero;
            for (int i = 0; i < m; i++) total += a[i * n + j];
            T want = before[j] + total;
            Assert.True(want.Equals(sum[j]), $"{typeof(T).Name} {m}×{n} column {j}: {sum[j]}, in-order {want}");
        }
    }

    /// <summary>
    /// Issue 17 item 5: the sigmoid the LSTM's gates use (FastExp) gives the same bits at every width the element-wise loops and
    /// the fused pass take: one value, 128, 256 and 512 bits (a width this CPU lacks runs in software, the same operations).
    /// </summary>
    [Fact]
    public void SigmoidIsTheSameBitsAtEveryWidth()
    {
        var random = new Random(17);
        double[] special = [0, -0.0, 1e-30, -1e-30, 0.5, -0.5, 20, -20, 43.5, -43.5, 44, -44, 86.9, -86.9, 87, -87, 87.5, -87.5, 88, -88, 89, -89,
            700, -700, 708, -708, 709, -709, 710, -710, 1e10, -1e10, double.PositiveInfinity, double.NegativeInfinity];
        double[] values = special.Concat(Enumerable.Range(0, 4000).Select(i => (random.NextDouble() * 2 - 1) * (i % 4 == 0 ? 100 : 10))).ToArray();
        SameSigmoid(values.Select(v => (float)v).ToArray());
        SameSigmoid(values);
    }

    private static void SameSigmoid<T>(T[] values) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (T a in values)
        {
            T want = ScalarOps<T>.Sigmoid(a);
            T v128 = Vector128Ops<T>.Sigmoid(Vector128.Create(a)).GetElement(1);
            T v256 = Vector256Ops<T>.Sigmoid(Vector256.Create(a)).GetElement(2);
            T v512 = Vector512Ops<T>.Sigmoid(Vector512.Create(a)).GetElement(3);
            Assert.True(want.Equals(v128) && want.Equals(v256) && want.Equals(v512),
                $"{typeof(T).Name} σ({a}): one value {want}, 128 bits {v128}, 256 bits {v256}, 512 bits {v512}");
        }
    }

    /// <summary>
    /// Issue 17 item 5: the general LSTM forward (the GEMM kernel's products, then LstmCell's element-wise pass) gives the fused
    /// pass's bits (LstmFusedForward, where this CPU takes it: H whole vectors on AVX-512 or AVX2), activations, c, tanh(c) and h,
    /// with odd batches (the fused pass's 1-row tiles and the element-wise loop's narrower tails).
    /// </summary>
    [Theory]
    [InlineData(5, 3, 32)]
    [InlineData(8, 4, 16)]
    [InlineData(7, 1, 24)]
    [InlineData(3, 4, 128)]
    [InlineData(13, 2, 64)]
    [InlineData(32, 4, 128)]
    public void GeneralLstmForwardEqualsTheFusedStepBitForBit(int batch, int input, int hidden)
    {
        GeneralEqualsFused<float>(batch, input, hidden);
        GeneralEqualsFused<double>(batch, input, hidden);
    }

    private static void GeneralEqualsFused<T>(int batch, int input, int hidden) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (!Embedded.Trainer.Cells.LstmFusedForward.Supports<T>(hidden)) return;   // the general path is all this CPU takes at this H
        var random = new Random(batch * 31 + input * 7 + hidden);
        T R(double scale) => T.CreateTruncating((random.NextDouble() * 2 - 1) * scale);
        int g = 4 * hidden, n = batch * hidden;
        T[] wihT = Enumerable.Range(0, input * g).Select(_ => R(1.5)).ToArray(), whhT = Enumerable.Range(0, hidden * g).Select(_ => R(0.6)).ToArray();
        T[] bias = Enumerable.Range(0, g).Select(_ => R(1)).ToArray();
        T[] x = Enumerable.Range(0, batch * input).Select(_ => R(2)).ToArray(), hPrev = Enumerable.Range(0, n).Select(_ => R(1)).ToArray();
        T[] cPrev = Enumerable.Range(0, n).Select(_ => R(3)).ToArray();

        T[] act = new T[4 * n], c = new T[n], tanhC = new T[n], h = new T[n];
        var blocks = new GemmBlocks(hidden, n, hidden, 0, 0);
        Blas.Gemm<T>(x, input, 1, wihT, g, act, hidden, batch, input, g, GemmStart.Init, bias, 0, blocks);
        Blas.Gemm<T>(hPrev, hidden, 1, whhT, g, act, hidden, batch, hidden, g, GemmStart.Accumulate, default, 0, blocks);
        new Embedded.Trainer.Cells.LstmCell<T>().Forward(default, hPrev, cPrev, act, tanhC, h, c, n);

        T[] weights = new T[(input + hidden) * g], packedBias = new T[g];
        Embedded.Trainer.Cells.LstmFusedForward.Pack<T>(wihT, whhT, bias, weights, packedBias, input, hidden);
        T[] fAct = new T[4 * n], fC = new T[n], fTanhC = new T[n], fH = new T[n];
        Embedded.Trainer.Cells.LstmFusedForward.Step<T>(x, hPrev, cPrev, weights, packedBias, fAct, fC, fTanhC, fH, batch, input, hidden);

        foreach (var (name, general, fused) in new[] { ("act", act, fAct), ("c", c, fC), ("tanh c", tanhC, fTanhC), ("h", h, fH) })
            for (int i = 0; i < general.Length; i++)
                Assert.True(general[i].Equals(fused[i]), $"{typeof(T).Name} B={batch} I={input} H={hidden} {name}[{i}]: general {general[i]}, fused {fused[i]}");

        // With the next step's regions named (prefetched, never written): the same values, and the regions untouched.
        T[] pAct = new T[4 * n], pC = new T[n], pTanhC = new T[n], pH = new T[n];
        T[] nAct = Enumerable.Range(0, 4 * n).Select(_ => R(1)).ToArray(), nC = Enumerable.Range(0, n).Select(_ => R(1)).ToArray();
        T[] nTanhC = (T[])nC.Clone(), nH = (T[])nC.Clone(), nActBefore = (T[])nAct.Clone(), nCBefore = (T[])nC.Clone();
        Embedded.Trainer.Cells.LstmFusedForward.Step<T>(x, hPrev, cPrev, weights, packedBias, pAct, pC, pTanhC, pH, batch, input, hidden, 0,
            new Embedded.Trainer.Cells.LstmFusedForward.NextStep<T>(nAct, nC, nTanhC, nH));
        foreach (var (name, plain, prefetched) in new[] { ("act", fAct, pAct), ("c", fC, pC), ("tanh c", fTanhC, pTanhC), ("h", fH, pH),
            ("next act", nActBefore, nAct), ("next c", nCBefore, nC), ("next tanh c", nCBefore, nTanhC), ("next h", nCBefore, nH) })
            for (int i = 0; i < plain.Length; i++)
                Assert.True(plain[i].Equals(prefetched[i]), $"{typeof(T).Name} B={batch} H={hidden} prefetching: {name}[{i}] {plain[i]} against {prefetched[i]}");
    }

    /// <summary>--fast-math's general LSTM forward (library sigmoid/tanh, unfused update) stays within float rounding of the exact one.</summary>
    [Fact]
    public void FastMathLstmForwardIsCloseToTheExactOne()
    {
        const int n = 8 * 20;
        var random = new Random(5);
        float[] act = Enumerable.Range(0, 4 * n).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray(), actFast = (float[])act.Clone();
        float[] cPrev = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] c = new float[n], tc = new float[n], h = new float[n], cF = new float[n], tcF = new float[n], hF = new float[n];
        new Embedded.Trainer.Cells.LstmCell<float>().Forward(default, default, cPrev, act, tc, h, c, n);
        var fast = new Embedded.Trainer.Cells.LstmCell<float>(fastMath: true);
        Assert.True(fast.FastMath);
        fast.Forward(default, default, cPrev, actFast, tcF, hF, cF, n);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(c[i] - cF[i]) <= 1e-5f * (1 + Math.Abs(c[i])), $"c[{i}] {c[i]} vs fast {cF[i]}");
            Assert.True(Math.Abs(h[i] - hF[i]) <= 1e-5f, $"h[{i}] {h[i]} vs fast {hF[i]}");
        }
        for (int i = 0; i < 4 * n; i++) Assert.True(Math.Abs(act[i] - actFast[i]) <= 1e-5f, $"act[{i}] {act[i]} vs fast {actFast[i]}");
    }

    /// <summary>Max difference relative to the largest reference magnitude: float keeps ~7 digits, sums over a sequence lose a little.</summary>
    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        if (expected.Length == 0) return;   // no cell state outside LSTM
        double scale = Math.Max(1e-3, expected.Max(Math.Abs)), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= 1e-4 * scale, $"{what}: float32 differs from float64 by {worst:G3} (scale {scale:G3})");
    }
}
