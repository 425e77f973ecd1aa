using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Vectorised kernel for the desktop and the Raspberry Pi. Integer sums are exact, so the results equal
/// the portable kernel's bit for bit; only the order of additions differs. The recurrent layers run fused
/// (products, requantisation, activations and state update in one step): on x64 with AVX-512BW as
/// <see cref="FusedRecurrentLayer"/>; otherwise as <see cref="VectorRecurrentLayer{TV, TW}"/>, one source on the
/// cross-platform vector API compiled for 256-bit vectors (AVX2) or 128-bit vectors (SSE on x64, NEON on
/// arm64, the Raspberry Pi). Other matrix products (the dense head): <see cref="RowDotMatVec"/> and
/// row-interleaved pmaddwd (<see cref="InterleavedMatVec"/>) with AVX-512BW or AVX2; elsewhere
/// System.Numerics widening multiplies (<see cref="WideningMatVec"/>); the portable loops when the hardware
/// has no SIMD. With AVX-512 or AVX2 the input normaliser is vectorised too (<see cref="Avx512InputNormaliser"/>,
/// <see cref="Avx2InputNormaliser"/>).
/// </summary>
public sealed class AcceleratedKernel : IKernel, ILayerKernel, INormaliserKernel
{
    /// <summary>The best kernel for this machine.</summary>
    public static readonly AcceleratedKernel Instance = new(allowAvx512: true, allowAvx2: true, FusedWidth.Best);

    /// <summary>AVX2 only, never AVX-512 (what most x64 machines run): 256-bit fused layers, so tests cover them on any x64.</summary>
    public static readonly AcceleratedKernel Avx2Only = new(allowAvx512: false, allowAvx2: true, FusedWidth.Vector256);

    /// <summary>
    /// What arm64 runs, on any machine: 128-bit fused layers (the same source as on NEON) and System.Numerics
    /// widening products for the dense head.
    /// </summary>
    public static readonly AcceleratedKernel Vector128Fused = new(allowAvx512: false, allowAvx2: false, FusedWidth.Vector128);

    /// <summary>System.Numerics widening products under the portable layers (no fused step), so x64 tests cover it too.</summary>
    public static readonly AcceleratedKernel Widening = new(allowAvx512: false, allowAvx2: false, FusedWidth.None);

    private enum FusedWidth { None, Vector128, Vector256, Best }

    private readonly bool _allowAvx512;
    private readonly bool _allowAvx2;
    private readonly FusedWidth _fused;

    private AcceleratedKernel(bool allowAvx512, bool allowAvx2, FusedWidth fused)
    {
        _allowAvx512 = allowAvx512;
        _allowAvx2 = allowAvx2;
        _fused = fused;
    }

    /// <summary>Which implementation <see cref="Create"/> and <see cref="CreateLayer"/> pick on this machine.</summary>
    public static string Implementation =>
        FusedRecurrentLayer.Supported ? "avx512bw fused layers, interleaved vpmaddwd"
        : Width256.Accelerated ? "vector256 (avx2) fused layers, interleaved pmaddwd"
        : Width128.Accelerated ? $"vector128 ({(System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "neon" : "sse")}) fused layers, vector{Vector<short>.Count * 16}-widen"
        : "portable";

    /// <summary>Which fused layer this kernel builds here: "avx512", "vector256", "vector128" or "none".</summary>
    public string LayerPath =>
        _allowAvx512 && FusedRecurrentLayer.Supported ? "avx512"
        : (_fused == FusedWidth.Best || _fused == FusedWidth.Vector256) && Width256.Accelerated ? "vector256"
        : _fused != FusedWidth.None && Width128.Accelerated ? "vector128"
        : "none";

    public IMatVec Create(QuantizedMatrix matrix)
    {
        if (_allowAvx512 && InterleavedMatVec.Avx512Usable)
        {
            return matrix.Rows <= RowDotMatVec.MaxRows ? new RowDotMatVec(matrix) : new InterleavedMatVec(matrix, avx512: true);
        }
        if (_allowAvx2 && Avx2.IsSupported)
        {
            return matrix.Rows <= RowDotMatVec.MaxRows ? new RowDotMatVec(matrix, avx512: false) : new InterleavedMatVec(matrix, avx512: false);
        }
        if (Vector.IsHardwareAccelerated) return new WideningMatVec(matrix);
        return PortableKernel.Instance.Create(matrix);
    }

    public RecurrentLayer? CreateLayer(CellType cell, RecurrentLayerParameters parameters, int hidden) => LayerPath switch
    {
        "avx512" => FusedRecurrentLayer.Create(cell, parameters, hidden),
        "vector256" => VectorLayers<Vector256<int>, Width256>.Create(cell, parameters, hidden),
        "vector128" => VectorLayers<Vector128<int>, Width128>.Create(cell, parameters, hidden),
        _ => null,
    };

    /// <summary>The AVX-512 or the AVX2 normaliser; elsewhere null, so the predictor keeps the portable one.</summary>
    public IInputNormaliser? CreateNormaliser(ModelImage model) =>
        model.Task == TaskKind.NextSymbol ? null
        : _allowAvx512 && Avx512InputNormaliser.Supported ? new Avx512InputNormaliser(model)
        : _allowAvx2 && Avx2InputNormaliser.Supported ? new Avx2InputNormaliser(model)
        : null;
}
