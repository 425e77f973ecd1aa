using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// A whole recurrent layer step on AVX-512, bit-exact with the portable layers: both matrix products
/// with their requantisation in one pass (<see cref="GateProducts"/>), then the gate arithmetic on 32
/// units at a time with the activation table in registers (<see cref="PermutedActivation"/>). Units are
/// padded to a multiple of 32; padded units stay zero. When the hidden size is a multiple of 16 the
/// gates read and write <see cref="RecurrentLayer.State"/> in place (no copy per step).
/// </summary>
internal abstract class FusedRecurrentLayer : RecurrentLayer
{
    protected const int Lanes = 16;
    protected const int Chunk = GateProducts.Chunk;
    private readonly GateProducts _products;
    private readonly bool _inPlace;
    /// <summary>The padded hidden state when it cannot be updated in place; copied to State after the gates.</summary>
    private readonly short[] _next;

    protected FusedRecurrentLayer(RecurrentLayerParameters parameters, int hidden, int separateGroups)
        : base(hidden)
    {
        // The hot methods skip tiering (AggressiveOptimization): they are compiled once, at their first call,
        // and the table's static readonly registers fold into them only if its class is initialised by then.
        RuntimeHelpers.RunClassConstructor(typeof(PermutedActivation).TypeHandle);
        _products = new GateProducts(parameters, hidden, separateGroups);
        PaddedHidden = _products.PaddedHidden;
        _inPlace = hidden % Lanes == 0;
        _next = new short[_inPlace ? 0 : PaddedHidden];
    }

    /// <summary>Whether this machine runs the fused layers.</summary>
    public static bool Supported => Avx512F.IsSupported && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    public static RecurrentLayer Create(CellType cell, RecurrentLayerParameters parameters, int hidden) => cell switch
    {
        CellType.Lstm => new FusedLstmLayer(parameters, hidden),
        CellType.Gru => new FusedGruLayer(parameters, hidden),
        _ => new FusedRnnLayer(parameters, hidden),
    };

    protected int PaddedHidden { get; }

    // Not inlined: with dynamic PGO the JIT otherwise devirtualises this step into Predictor.Advance and
    // inlines it whole (4.7 KB of vector code with the gates), which made the step up to 1.6× slower.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public sealed override void Step(short[] input)
    {
        _products.Run(input, State);
        if (_inPlace)
        {
            Gates(_products.Pre, _products.PreRecurrent, State);
        }
        else
        {
            Gates(_products.Pre, _products.PreRecurrent, _next);
            _next.AsSpan(0, Hidden).CopyTo(State);
        }
    }

    /// <summary>
    /// Reads the pre-activations (gate g of unit j at g·PaddedHidden + j) and the previous hidden state
    /// from <paramref name="h"/>, and writes the new one there; units past h's length count as zero.
    /// </summary>
    protected abstract void Gates(AlignedBuffer<int> pre, AlignedBuffer<int> preRecurrent, short[] h);

    public override void Reset()
    {
        base.Reset();
        Array.Clear(_next);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector512<int> Load(AlignedBuffer<int> values, int index) => Vector512.LoadUnsafe(ref values.Start, (nuint)index);

    /// <summary>(a·b + 2^14) >> 15 on int32 lanes (products stay below 2^31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector512<int> MulQ15(Vector512<int> a, Vector512<int> b) => Vector512.ShiftRightArithmetic(a * b + Vector512.Create(1 << 14), 15);

    /// <summary>Units j .. j + 15 of the hidden state, zero past its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector512<int> LoadState(short[] h, int j) =>
        j + Lanes <= h.Length ? Avx512BW.ConvertToVector512Int32(Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(h), (nuint)j)) : Vector512<int>.Zero;

    /// <summary>Stores units j .. j + 15 unless they lie past the state's end (padding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void StoreState(short[] h, Vector512<int> value, int j)
    {
        if (j + Lanes <= h.Length) Avx512BW.ConvertToVector256Int16(value).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(h), (nuint)j);
    }
}
