using System.Numerics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Vectorised matrix-vector kernel for the desktop and the Raspberry Pi. Integer sums are exact, so the
/// results equal the portable kernel's bit for bit; only the order of additions differs.
/// Picks AVX2 (pmaddwd) on x64, System.Numerics widening multiplies elsewhere (arm64 NEON), and the
/// portable loops when the hardware has no SIMD.
/// </summary>
public sealed class AcceleratedKernel : IKernel
{
    /// <summary>The best kernel for this machine.</summary>
    public static readonly AcceleratedKernel Instance = new(preferAvx2: true);

    /// <summary>The System.Numerics path regardless of AVX2 (what arm64 runs), so x64 tests cover it too.</summary>
    public static readonly AcceleratedKernel Widening = new(preferAvx2: false);

    private readonly bool _preferAvx2;

    private AcceleratedKernel(bool preferAvx2)
    {
        _preferAvx2 = preferAvx2;
    }

    /// <summary>Which implementation <see cref="Create"/> picks on this machine.</summary>
    public static string Implementation =>
        Avx2.IsSupported ? "avx2-pmaddwd" : Vector.IsHardwareAccelerated ? $"vector{Vector<short>.Count * 16}-widen" : "portable";

    public IMatVec Create(QuantizedMatrix matrix)
    {
        if (_preferAvx2 && Avx2.IsSupported) return new Avx2MatVec(matrix);
        if (Vector.IsHardwareAccelerated) return new WideningMatVec(matrix);
        return PortableKernel.Instance.Create(matrix);
    }
}
