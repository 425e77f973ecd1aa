using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;
using Xunit.Abstractions;

namespace Embedded.Firmware.Tests;

/// <summary>
/// Per-step cost on an interpreter (BENCHMARKS.md): multiply-accumulates and array accesses of
/// one step, counted analytically from the layer code and cross-checked by running the real predictor on
/// a counting kernel. Reproduce: dotnet test tests/Embedded.Firmware.Tests --filter StepCost --logger "console;verbosity=detailed"
/// </summary>
public sealed class StepCostTests(ITestOutputHelper output)
{
    /// <summary>Wraps the portable kernel and counts what its matrix-vector products do.</summary>
    private sealed class CountingKernel : IKernel
    {
        public long Macs;
        public long Reads;
        public long Writes;

        public IMatVec Create(QuantizedMatrix matrix) => new Counting(this, PortableKernel.Instance.Create(matrix), matrix.Rows, matrix.Cols);

        private sealed class Counting(CountingKernel owner, IMatVec inner, int rows, int cols) : IMatVec
        {
            public void Multiply(short[] input, long[] accumulators)
            {
                inner.Multiply(input, accumulators);
                owner.Macs += (long)rows * cols;
                owner.Reads += inner is PortablePackedMatVec8 ? PackedMatVecReads(rows, cols) : MatVecReads(rows, cols);
                owner.Writes += rows; // accumulators[r] per row
            }
        }
    }

    /// <summary>
    /// Array reads of one portable matrix-vector product: rows in blocks of four read every weight once and
    /// each input once per block; the rows left over read a weight and an input per MAC.
    /// </summary>
    public static long MatVecReads(int rows, int cols)
    {
        long blocked = rows & ~3;
        return blocked * cols + blocked / 4 * cols + 2L * (rows - blocked) * cols;
    }

    /// <summary>
    /// Array reads of one packed int8 product (<see cref="PortablePackedMatVec8"/>): one 64-bit word per two
    /// MACs, and each input once per pass of four row pairs; the pairs left over read a word and an input each.
    /// </summary>
    public static long PackedMatVecReads(int rows, int cols)
    {
        long pairs = (rows + 1) / 2;
        long blocked = pairs & ~3;
        return blocked * cols + blocked / 4 * cols + 2L * (pairs - blocked) * cols;
    }

    /// <summary>Which read count applies: int8 matrices run packed on the portable kernel, int16 ones do not.</summary>
    private static Func<int, int, long> ReadsFor(int bits) => bits == 8 ? PackedMatVecReads : MatVecReads;

    /// <summary>Analytical count from the layer code (single layer, O outputs), see BENCHMARKS.md.</summary>
    public static (long Macs, long Accesses) Analytical(CellType cell, int inputs, int hidden, int outputs, int bits)
    {
        var reads = ReadsFor(bits);
        int gates = GateCount(cell);
        long gh = (long)gates * hidden;
        long macs = gh * inputs + gh * hidden + (long)outputs * hidden;
        long normaliser = 6L * inputs;                       // 5 reads + 1 write per input
        long matvecs = reads((int)gh, inputs) + reads((int)gh, hidden) + 2 * gh; // + 1 write per row, input and recurrent
        long rowScale = 12 * gh;                             // 2 x (5 reads + 1 write) per gate row
        long gateLoop = cell == CellType.Lstm ? 21L * hidden : 14L * hidden; // pre-activations, state, table lookups (2 reads each)
        long head = reads(outputs, hidden) + outputs + 6L * outputs;
        return (macs, normaliser + matvecs + rowScale + gateLoop + head);
    }

    private static int GateCount(CellType cell) => cell == CellType.Lstm ? 4 : 3;

    [Theory]
    [InlineData(CellType.Lstm, 3, 16, 16)]
    [InlineData(CellType.Gru, 3, 16, 16)]
    [InlineData(CellType.Lstm, 8, 32, 16)]
    [InlineData(CellType.Gru, 8, 32, 16)]
    [InlineData(CellType.Lstm, 8, 32, 8)]
    [InlineData(CellType.Gru, 8, 32, 8)]
    public void StepCost_measured_macs_match_the_analytical_count(CellType cell, int inputs, int hidden, int bits)
    {
        var image = RealModels.Forecaster(inputs, hidden, cell, bits: bits);
        var model = ModelImage.Parse(image);
        var kernel = new CountingKernel();
        var predictor = new Predictor(model, kernel);
        var input = new int[model.InputCount];
        var result = new int[model.OutputCount];
        const int steps = 10;
        for (int t = 0; t < steps; t++) predictor.Step(input, result);

        var (macs, accesses) = Analytical(cell, inputs, hidden, model.OutputCount, bits);
        Assert.Equal(macs, kernel.Macs / steps);
        long matvecAccesses = (kernel.Reads + kernel.Writes) / steps;
        var reads = ReadsFor(bits);
        long analyticalMatVec = reads(GateCount(cell) * hidden, inputs) + reads(GateCount(cell) * hidden, hidden)
                              + reads(model.OutputCount, hidden) + 2L * GateCount(cell) * hidden + model.OutputCount;
        Assert.Equal(analyticalMatVec, matvecAccesses);
        Assert.True(matvecAccesses < accesses);
        output.WriteLine($"{cell} {inputs}->{hidden} int{bits} (outputs {model.OutputCount}): {kernel.Macs / steps} MACs/step measured, {macs} analytical; " +
                         $"{matvecAccesses} array accesses in matrix-vector products measured, {accesses} array accesses in total analytical");
    }
}
