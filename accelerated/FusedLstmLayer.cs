using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary><see cref="LstmLayer"/>'s step on 32 units at a time; the Q11 cell state is kept in int32 lanes.</summary>
internal sealed class FusedLstmLayer : FusedRecurrentLayer
{
    private readonly AlignedBuffer<int> _cell;

    public FusedLstmLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden, separateGroups: 0)
    {
        _cell = new AlignedBuffer<int>(PaddedHidden);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Gates(AlignedBuffer<int> pre, AlignedBuffer<int> preRecurrent, short[] h)
    {
        int n = PaddedHidden;
        for (int j = 0; j < n; j += Chunk)
        {
            PermutedActivation.Sigmoid(Load(pre, j), Load(pre, j + Lanes), out Vector512<int> i0, out Vector512<int> i1);
            PermutedActivation.Sigmoid(Load(pre, j + n), Load(pre, j + n + Lanes), out Vector512<int> f0, out Vector512<int> f1);
            PermutedActivation.Tanh(Load(pre, j + 2 * n), Load(pre, j + 2 * n + Lanes), out Vector512<int> g0, out Vector512<int> g1);
            PermutedActivation.Sigmoid(Load(pre, j + 3 * n), Load(pre, j + 3 * n + Lanes), out Vector512<int> o0, out Vector512<int> o1);
            Vector512<int> c0 = Cell(i0, f0, g0, j);
            Vector512<int> c1 = Cell(i1, f1, g1, j + Lanes);
            PermutedActivation.Tanh(Vector512.ShiftLeft(c0, 1), Vector512.ShiftLeft(c1, 1), out Vector512<int> t0, out Vector512<int> t1);
            StoreState(h, MulQ15(o0, t0), j);
            StoreState(h, MulQ15(o1, t1), j + Lanes);
        }
    }

    /// <summary>c = (f·c + ((i·g) >> 4) + 2^14) >> 15, saturated to int16, stored and returned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<int> Cell(Vector512<int> input, Vector512<int> forget, Vector512<int> candidate, int j)
    {
        ref int cell = ref _cell.Start;
        Vector512<int> c = Vector512.LoadUnsafe(ref cell, (nuint)j);
        c = Vector512.ShiftRightArithmetic(forget * c + Vector512.ShiftRightArithmetic(input * candidate, 4) + Vector512.Create(1 << 14), 15);
        c = Vector512.Min(Vector512.Max(c, Vector512.Create(-32768)), Vector512.Create(32767));
        c.StoreUnsafe(ref cell, (nuint)j);
        return c;
    }

    public override void Reset()
    {
        base.Reset();
        _cell.Span.Clear();
    }
}
