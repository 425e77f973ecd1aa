using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary><see cref="GruLayer"/>'s step on 32 units at a time.</summary>
internal sealed class FusedGruLayer : FusedRecurrentLayer
{
    public FusedGruLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden, separateGroups: 1)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Gates(AlignedBuffer<int> pre, AlignedBuffer<int> preRecurrent, short[] h)
    {
        int n = PaddedHidden;
        for (int j = 0; j < n; j += Chunk)
        {
            PermutedActivation.Sigmoid(Load(pre, j), Load(pre, j + Lanes), out Vector512<int> r0, out Vector512<int> r1);
            PermutedActivation.Sigmoid(Load(pre, j + n), Load(pre, j + n + Lanes), out Vector512<int> z0, out Vector512<int> z1);
            Vector512<int> a0 = Load(pre, j + 2 * n) + Gated(r0, Load(preRecurrent, j + 2 * n));
            Vector512<int> a1 = Load(pre, j + 2 * n + Lanes) + Gated(r1, Load(preRecurrent, j + 2 * n + Lanes));
            PermutedActivation.Tanh(a0, a1, out Vector512<int> n0, out Vector512<int> n1);
            StoreState(h, Blend(n0, z0, LoadState(h, j)), j);
            StoreState(h, Blend(n1, z1, LoadState(h, j + Lanes)), j + Lanes);
        }
    }

    /// <summary>
    /// (r·hn + 2^14) >> 15 needs 44 bits; with hn = 2^15·high + low (low unsigned 15 bits) it is
    /// r·high + ((r·low + 2^14) >> 15), all in int32.
    /// </summary>
    private static Vector512<int> Gated(Vector512<int> reset, Vector512<int> hn) =>
        reset * Vector512.ShiftRightArithmetic(hn, 15) + MulQ15(reset, hn & Vector512.Create(0x7FFF));

    /// <summary>h = n + z·(h − n).</summary>
    private static Vector512<int> Blend(Vector512<int> candidate, Vector512<int> update, Vector512<int> previous) =>
        candidate + MulQ15(update, previous - candidate);
}
