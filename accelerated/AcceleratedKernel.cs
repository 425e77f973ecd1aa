using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Vectorised matrix-vector kernel for the desktop and the Raspberry Pi. Integer sums are exact, so the
/// results equal the portable kernel's bit for bit; only the order of additions differs.
/// Picks AVX-512BW for wide rows and AVX2 (pmaddwd) for narrow ones on x64, System.Numerics widening multiplies elsewhere (arm64 NEON), and the
/// portable loops when the hardware has no SIMD.
/// </summary>
public sealed class AcceleratedKernel : IKernel
{
    /// <summary>The best kernel for this machine.</summary>
    public static readonly AcceleratedKernel Instance = new(allowAvx512: true, allowAvx2: true);

    /// <summary>AVX2 only, never AVX-512 (what most x64 machines run), so tests cover it on any x64.</summary>
    public static readonly AcceleratedKernel Avx2Only = new(allowAvx512: false, allowAvx2: true);

    /// <summary>The System.Numerics path regardless of AVX2 (what arm64 runs), so x64 tests cover it too.</summary>
    public static readonly AcceleratedKernel Widening = new(allowAvx512: false, allowAvx2: false);

    private readonly bool _allowAvx512;
    private readonly bool _allowAvx2;

    private AcceleratedKernel(bool allowAvx512, bool allowAvx2)
    {
        _allowAvx512 = allowAvx512;
        _allowAvx2 = allowAvx2;
    }

    /// <summary>Which implementation <see cref="Create"/> picks on this machine.</summary>
    public static string Implementation =>
        Avx512BW.IsSupported && Vector512.IsHardwareAccelerated ? "avx512bw-vpmaddwd (avx2 for narrow rows)" : Avx2.IsSupported ? "avx2-pmaddwd" : Vector.IsHardwareAccelerated ? $"vector{Vector<short>.Count * 16}-widen" : "portable";

    public IMatVec Create(QuantizedMatrix matrix)
    {
        if (_allowAvx512 && Avx512MatVec.Suits(matrix)) return new Avx512MatVec(matrix);
        if (_allowAvx2 && Avx2.IsSupported) return new Avx2MatVec(matrix);
        if (Vector.IsHardwareAccelerated) return new WideningMatVec(matrix);
        return PortableKernel.Instance.Create(matrix);
    }
}
