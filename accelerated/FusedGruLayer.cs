using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary><see cref="GruLayer"/>'s step on 16 units at a time.</summary>
internal sealed class FusedGruLayer : FusedRecurrentLayer
{
    public FusedGruLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden)
    {
    }

    protected override void Gates(int[] x, int[] h)
    {
        int n = PaddedHidden;
        ref short next = ref MemoryMarshal.GetArrayDataReference(Next);
        for (int j = 0; j < n; j += Lanes)
        {
            Vector512<int> reset = VectorActivation.Sigmoid(Sum(x, h, j));
            Vector512<int> update = VectorActivation.Sigmoid(Sum(x, h, j + n));
            // (r·hn + 2^14) >> 15 needs 44 bits; with hn = 2^15·high + low (low unsigned 15 bits) it is
            // r·high + ((r·low + 2^14) >> 15), all in int32.
            Vector512<int> hn = Load(h, j + 2 * n);
            Vector512<int> gated = reset * Vector512.ShiftRightArithmetic(hn, 15) + MulQ15(reset, hn & Vector512.Create(0x7FFF));
            Vector512<int> candidate = VectorActivation.Tanh(Load(x, j + 2 * n) + gated);
            Vector512<int> previous = Avx512F.ConvertToVector512Int32(Vector256.LoadUnsafe(ref next, (nuint)j));
            StoreNext(candidate + MulQ15(update, previous - candidate), j);
        }
    }
}
