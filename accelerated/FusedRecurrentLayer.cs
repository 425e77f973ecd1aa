using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// A whole recurrent layer step on AVX-512, bit-exact with the portable layers: both matrix products
/// with their requantisation (<see cref="FusedProduct"/>), then the gate arithmetic on 16 units at a
/// time with the vector activations. Units are padded to a multiple of 16; padded units stay zero.
/// </summary>
internal abstract class FusedRecurrentLayer : RecurrentLayer
{
    protected const int Lanes = 16;
    private readonly FusedProduct _input;
    private readonly FusedProduct _recurrent;

    protected FusedRecurrentLayer(RecurrentLayerParameters parameters, int hidden)
        : base(hidden)
    {
        _input = new FusedProduct(parameters.Input, parameters.InputBias, hidden);
        _recurrent = new FusedProduct(parameters.Recurrent, parameters.RecurrentBias, hidden);
        PaddedHidden = _input.PaddedHidden;
        Next = new short[PaddedHidden];
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

    /// <summary>The new hidden state, padded; copied to <see cref="RecurrentLayer.State"/> after the gates.</summary>
    protected short[] Next { get; }

    public sealed override void Step(short[] input)
    {
        _input.Run(input);
        _recurrent.Run(State);
        Gates(_input.Output, _recurrent.Output);
        Array.Copy(Next, State, Hidden);
    }

    /// <summary>Reads the pre-activations (gate g of unit j at g·PaddedHidden + j) and writes <see cref="Next"/>.</summary>
    protected abstract void Gates(int[] x, int[] h);

    public override void Reset()
    {
        base.Reset();
        Array.Clear(Next);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector512<int> Load(int[] values, int index) => Vector512.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(values), (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector512<int> Sum(int[] x, int[] h, int index) => Load(x, index) + Load(h, index);

    /// <summary>(a·b + 2^14) >> 15 on int32 lanes (products stay below 2^31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector512<int> MulQ15(Vector512<int> a, Vector512<int> b) => Vector512.ShiftRightArithmetic(a * b + Vector512.Create(1 << 14), 15);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void StoreNext(Vector512<int> h, int j) => Avx512BW.ConvertToVector256Int16(h).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(Next), (nuint)j);
}
