using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary><see cref="LstmLayer"/>'s step on 16 units at a time; the Q11 cell state is kept in int32 lanes.</summary>
internal sealed class FusedLstmLayer : FusedRecurrentLayer
{
    private readonly int[] _cell;

    public FusedLstmLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden)
    {
        _cell = new int[PaddedHidden];
    }

    protected override void Gates(int[] x, int[] h)
    {
        int n = PaddedHidden;
        ref int cell = ref MemoryMarshal.GetArrayDataReference(_cell);
        for (int j = 0; j < n; j += Lanes)
        {
            Vector512<int> input = VectorActivation.Sigmoid(Sum(x, h, j));
            Vector512<int> forget = VectorActivation.Sigmoid(Sum(x, h, j + n));
            Vector512<int> candidate = VectorActivation.Tanh(Sum(x, h, j + 2 * n));
            Vector512<int> output = VectorActivation.Sigmoid(Sum(x, h, j + 3 * n));
            Vector512<int> c = Vector512.LoadUnsafe(ref cell, (nuint)j);
            c = Vector512.ShiftRightArithmetic(forget * c + Vector512.ShiftRightArithmetic(input * candidate, 4) + Vector512.Create(1 << 14), 15);
            c = Vector512.Min(Vector512.Max(c, Vector512.Create(-32768)), Vector512.Create(32767));
            c.StoreUnsafe(ref cell, (nuint)j);
            StoreNext(MulQ15(output, VectorActivation.Tanh(Vector512.ShiftLeft(c, 1))), j);
        }
    }

    public override void Reset()
    {
        base.Reset();
        Array.Clear(_cell);
    }
}
