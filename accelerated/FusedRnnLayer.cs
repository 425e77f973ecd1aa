using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary><see cref="RnnLayer"/>'s step on 32 units at a time.</summary>
internal sealed class FusedRnnLayer : FusedRecurrentLayer
{
    public FusedRnnLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden, separateGroups: 0)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Gates(AlignedBuffer<int> pre, AlignedBuffer<int> preRecurrent, short[] h)
    {
        for (int j = 0; j < PaddedHidden; j += Chunk)
        {
            PermutedActivation.Tanh(Load(pre, j), Load(pre, j + Lanes), out Vector512<int> y0, out Vector512<int> y1);
            StoreState(h, y0, j);
            StoreState(h, y1, j + Lanes);
        }
    }
}
