using System.Runtime.Intrinsics;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary><see cref="RnnLayer"/>'s step on 16 units at a time.</summary>
internal sealed class FusedRnnLayer : FusedRecurrentLayer
{
    public FusedRnnLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden)
    {
    }

    protected override void Gates(int[] x, int[] h)
    {
        for (int j = 0; j < PaddedHidden; j += Lanes) StoreNext(VectorActivation.Tanh(Sum(x, h, j)), j);
    }
}
