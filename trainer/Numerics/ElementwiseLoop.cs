using System.Numerics;
using System.Runtime.Intrinsics;

namespace Embedded.Trainer.Numerics;

/// <summary>One vector (or, at the tail, one value) of an element-wise loop body, written once against <see cref="IVectorOps{T, TVector}"/>.</summary>
internal interface IElementwiseBody<T> where T : unmanaged
{
    void Apply<TV, TOps>(int index) where TV : struct where TOps : IVectorOps<T, TV>;
}

/// <summary>
/// Runs an element-wise body over n values: whole 512-bit vectors where accelerated, then 256-bit, then 128-bit, then one value at a
/// time. The body is a struct, so each width is a specialised, inlined copy of the one source.
/// </summary>
internal static class ElementwiseLoop
{
    public static void Run<T, TBody>(ref TBody body, int n) where T : unmanaged, IFloatingPointIeee754<T> where TBody : struct, IElementwiseBody<T>, allows ref struct
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; k + Vector512<T>.Count <= n; k += Vector512<T>.Count) body.Apply<Vector512<T>, Vector512Ops<T>>(k);
        if (Vector256.IsHardwareAccelerated)
            for (; k + Vector256<T>.Count <= n; k += Vector256<T>.Count) body.Apply<Vector256<T>, Vector256Ops<T>>(k);
        if (Vector128.IsHardwareAccelerated)
            for (; k + Vector128<T>.Count <= n; k += Vector128<T>.Count) body.Apply<Vector128<T>, Vector128Ops<T>>(k);
        for (; k < n; k++) body.Apply<T, ScalarOps<T>>(k);
    }
}
