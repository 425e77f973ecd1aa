using Embedded.Accelerated;
using Embedded.Shared;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;
using Embedded.Tests.Common;

namespace Embedded.Runtime.Tests;

/// <summary>Zero allocations per step after construction, on both kernels, for every cell and task.</summary>
public class AllocationTests
{
    public static TheoryData<CellType, int> CellsAndBits() => QuantizerTests.CellsAndBits();

    [Theory]
    [MemberData(nameof(CellsAndBits))]
    public void Steps_allocate_nothing(CellType cell, int bits)
    {
        var image = TestModels.Make(cell, bits, inputs: 3, hidden: 20, layers: 2, outputs: 2).Quantized.Parse();
        foreach (IKernel kernel in new IKernel[] { PortableKernel.Instance, AcceleratedKernel.Instance, AcceleratedKernel.Avx2Only, AcceleratedKernel.Widening, AcceleratedKernel.Vector128Fused })
        {
            var predictor = new Predictor(image, kernel);
            var input = new int[] { 1000, -2000, int.MaxValue };
            var output = new int[2];
            Assert.Equal(0, Allocations.Least(() =>
            {
                for (int t = 0; t < 2000; t++)
                {
                    input[0] = t * 7919;
                    predictor.Step(input, output);
                    if (t == 1000) predictor.Reset();
                }
            }));
        }
    }

    [Fact]
    public void Symbol_steps_allocate_nothing()
    {
        var image = TestModels.Make(CellType.Lstm, 8, inputs: 28, hidden: 16, layers: 1, outputs: 28, task: TaskKind.NextSymbol).Quantized.Parse();
        var predictor = new Predictor(image);
        var output = new int[28];
        predictor.StepSymbol(0, output);
        Assert.Equal(0, Allocations.Least(() =>
        {
            for (int t = 0; t < 2000; t++) predictor.StepSymbol(t % 30, output);
        }));
    }
}
