using System.Numerics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Vectorised kernel for the desktop and the Raspberry Pi. Integer sums are exact, so the results equal
/// the portable kernel's bit for bit; only the order of additions differs. On x64 with AVX-512BW the
/// recurrent layers run fused (<see cref="FusedRecurrentLayer"/>: products, requantisation and gates
/// vectorised), and matrices of few rows (the dense head) use <see cref="RowDotMatVec"/>; other matrix
/// products use row-interleaved pmaddwd (<see cref="InterleavedMatVec"/>) with AVX-512BW or AVX2; elsewhere System.Numerics widening multiplies (arm64 NEON); the portable loops
/// when the hardware has no SIMD. With AVX-512 the input normaliser is vectorised too (<see cref="Avx512InputNormaliser"/>).
/// </summary>
public sealed class AcceleratedKernel : IKernel, ILayerKernel, INormaliserKernel
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
        FusedRecurrentLayer.Supported ? "avx512bw fused layers, interleaved vpmaddwd" : Avx2.IsSupported ? "avx2 interleaved pmaddwd" : Vector.IsHardwareAccelerated ? $"vector{Vector<short>.Count * 16}-widen" : "portable";

    public IMatVec Create(QuantizedMatrix matrix)
    {
        if (_allowAvx512 && InterleavedMatVec.Avx512Usable)
        {
            return matrix.Rows <= RowDotMatVec.MaxRows ? new RowDotMatVec(matrix) : new InterleavedMatVec(matrix, avx512: true);
        }
        if (_allowAvx2 && Avx2.IsSupported) return new InterleavedMatVec(matrix, avx512: false);
        if (Vector.IsHardwareAccelerated) return new WideningMatVec(matrix);
        return PortableKernel.Instance.Create(matrix);
    }

    public RecurrentLayer? CreateLayer(CellType cell, RecurrentLayerParameters parameters, int hidden) =>
        _allowAvx512 && FusedRecurrentLayer.Supported ? FusedRecurrentLayer.Create(cell, parameters, hidden) : null;

    /// <summary>The AVX-512 normaliser; elsewhere null, so the predictor keeps the portable one.</summary>
    public IInputNormaliser? CreateNormaliser(ModelImage model) =>
        _allowAvx512 && Avx512InputNormaliser.Supported && model.Task != TaskKind.NextSymbol ? new Avx512InputNormaliser(model) : null;
}
