using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// A whole recurrent layer step, written once on the cross-platform vector operators and compiled for
/// each width (<see cref="Width256"/>: AVX2; <see cref="Width128"/>: SSE, and NEON on the Raspberry Pi),
/// bit-exact with the portable layers. Both matrix products run over row-interleaved weights
/// (blocks of <c>Count</c> rows × 2 columns per vector, 4 blocks sharing each broadcast input pair, pmaddwd
/// or its NEON equivalent); each group's exact row sums are requantised in registers as soon as they are
/// complete (int32 lanes when every shift allows, as <see cref="BlockRequantiser.Scale32"/>; else int64
/// lanes) and summed into Q12 pre-activations; then the gates run on <c>Count</c> units at a time with the
/// activation table gathered (<see cref="VectorActivation{TV, TW}"/>). Units are padded to a multiple of
/// 4·Count; padded rows have zero weights, scale and bias, so padded units stay zero. The state is kept in a
/// padded copy (read by the recurrent product, updated in place by the gates) and copied to
/// <see cref="RecurrentLayer.State"/> after each step.
/// </summary>
internal abstract class VectorRecurrentLayer<TV, TW> : RecurrentLayer
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    private const int Blocks = 4;
    private readonly AlignedBuffer<int> _weights;
    private readonly int _pairsX, _pairsH, _groups, _separateFrom;
    private readonly bool _split, _xDirect, _int32;
    private readonly InputPairs _x, _h;
    // Per block: int32 requantisation [m, rounding, shift, bias] × Count; or int64: ints [m, bias], longs [rounding, shift].
    private readonly int[] _scale32X, _scale32H, _intsX, _intsH;
    private readonly long[] _longsX, _longsH;

    protected VectorRecurrentLayer(RecurrentLayerParameters parameters, int hidden, int separateGroups)
        : base(hidden)
    {
        int lanes = TW.Count, groupRows = Blocks * lanes;
        QuantizedMatrix wx = parameters.Input, wh = parameters.Recurrent;
        PaddedHidden = (hidden + groupRows - 1) / groupRows * groupRows;
        int gates = wx.Rows / hidden, paddedRows = gates * PaddedHidden;
        _groups = paddedRows / groupRows;
        _separateFrom = (gates - separateGroups) * PaddedHidden / groupRows;
        _split = wx.Weights16 != null;
        _pairsX = (wx.Cols + 1) / 2;
        _pairsH = (wh.Cols + 1) / 2;
        // Group g: the input part pair by pair (4 blocks of `lanes` rows × 2 columns per pair), then the recurrent part.
        int groupInts = Blocks * lanes * (_pairsX + _pairsH);
        _weights = new AlignedBuffer<int>(_groups * groupInts);
        Span<short> w = MemoryMarshal.Cast<int, short>(_weights.Span);
        for (int p = 0; p < paddedRows; p++)
        {
            if (p % PaddedHidden >= hidden) continue;
            int r = p / PaddedHidden * hidden + p % PaddedHidden;
            int g = p / groupRows, i = p % groupRows / lanes, lane = p % lanes;
            int x0 = g * groupInts * 2, h0 = x0 + Blocks * lanes * _pairsX * 2;
            for (int c = 0; c < wx.Cols; c++) w[x0 + ((c / 2 * Blocks + i) * lanes + lane) * 2 + (c & 1)] = (short)wx.Weight(r, c);
            for (int c = 0; c < wh.Cols; c++) w[h0 + ((c / 2 * Blocks + i) * lanes + lane) * 2 + (c & 1)] = (short)wh.Weight(r, c);
        }
        _x = new InputPairs(wx.Cols, _split);
        _h = new InputPairs(wh.Cols, _split);
        _xDirect = !_split && wx.Cols % 2 == 0;
        _int32 = !_split && Int32Requantisable(wx) && Int32Requantisable(wh);
        int Padded(int r) => r / hidden * PaddedHidden + r % hidden;
        _scale32X = _int32 ? Scale32Parameters(wx, parameters.InputBias, paddedRows, Padded) : [];
        _scale32H = _int32 ? Scale32Parameters(wh, parameters.RecurrentBias, paddedRows, Padded) : [];
        _intsX = _int32 ? [] : Scale64Ints(wx, parameters.InputBias, paddedRows, Padded);
        _intsH = _int32 ? [] : Scale64Ints(wh, parameters.RecurrentBias, paddedRows, Padded);
        _longsX = _int32 ? [] : Scale64Longs(wx, paddedRows, Padded);
        _longsH = _int32 ? [] : Scale64Longs(wh, paddedRows, Padded);
        Pre = new int[paddedRows];
        PreRecurrent = new int[paddedRows];
        PaddedState = new short[PaddedHidden];
    }

    /// <summary>Hidden units rounded up to whole groups of 4·Count rows.</summary>
    protected int PaddedHidden { get; }

    /// <summary>Q12 pre-activations, gate g of unit j at g·PaddedHidden + j (the input part alone in separate gates).</summary>
    protected int[] Pre { get; }

    /// <summary>The recurrent part of the separate gates (GRU's n gate), same indices.</summary>
    protected int[] PreRecurrent { get; }

    /// <summary>The hidden state padded to PaddedHidden units (the padding stays zero).</summary>
    protected short[] PaddedState { get; }

    private static bool Int32Requantisable(QuantizedMatrix matrix)
    {
        for (int r = 0; r < matrix.Rows; r++)
        {
            if (matrix.Shifts[r] < 17 || matrix.Shifts[r] > 46) return false;
        }
        return true;
    }

    private static int[] Scale32Parameters(QuantizedMatrix matrix, int[] bias, int paddedRows, Func<int, int> padded)
    {
        int lanes = TW.Count;
        var values = new int[paddedRows * 4];
        // Padded rows: m = 0, rounding 1, shift 1 give (0 + 1) >> 1 = 0.
        for (int p = 0; p < paddedRows; p++)
        {
            values[(p / lanes * 4 + 1) * lanes + p % lanes] = 1;
            values[(p / lanes * 4 + 2) * lanes + p % lanes] = 1;
        }
        for (int r = 0; r < matrix.Rows; r++)
        {
            int p = padded(r), at = p / lanes * 4 * lanes + p % lanes, shift = matrix.Shifts[r];
            values[at] = matrix.Multipliers[r];
            values[at + lanes] = 1 << (shift - 17);
            values[at + 2 * lanes] = shift - 16;
            values[at + 3 * lanes] = bias[r];
        }
        return values;
    }

    private static int[] Scale64Ints(QuantizedMatrix matrix, int[] bias, int paddedRows, Func<int, int> padded)
    {
        int lanes = TW.Count;
        var values = new int[paddedRows * 2];
        for (int r = 0; r < matrix.Rows; r++)
        {
            int p = padded(r), at = p / lanes * 2 * lanes + p % lanes;
            values[at] = matrix.Multipliers[r];
            values[at + lanes] = bias[r];
        }
        return values;
    }

    private static long[] Scale64Longs(QuantizedMatrix matrix, int paddedRows, Func<int, int> padded)
    {
        int lanes = TW.Count;
        var values = new long[paddedRows * 2];
        for (int r = 0; r < matrix.Rows; r++)
        {
            int p = padded(r), at = p / lanes * 2 * lanes + p % lanes, shift = matrix.Shifts[r];
            values[at] = shift > 0 ? 1L << (shift - 1) : 0L;
            values[at + lanes] = shift;
        }
        return values;
    }

    // Not inlined into Predictor.Advance (see FusedRecurrentLayer.Step).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public sealed override void Step(short[] input)
    {
        if (_split) SplitProducts(input);
        else Products(input);
        Gates();
        PaddedState.AsSpan(0, Hidden).CopyTo(State);
    }

    /// <summary>The new state into <see cref="PaddedState"/> from <see cref="Pre"/> and <see cref="PreRecurrent"/>.</summary>
    protected abstract void Gates();

    public override void Reset()
    {
        base.Reset();
        Array.Clear(PaddedState);
    }

    /// <summary>int8 weights: both products, each group requantised in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Products(short[] input)
    {
        int lanes = TW.Count, pairsX = _pairsX, pairsH = _pairsH, hOffset = Blocks * lanes * pairsX;
        ref int x = ref _xDirect && input.Length >= _x.Cols ? ref InputPairs.PairsOf(input) : ref LoadPairs(_x, input);
        // The padded state is zero past Hidden and even in length: its pairs are read in place.
        ref int h = ref InputPairs.PairsOf(PaddedState);
        ref int w = ref _weights.Start;
        ref int pre = ref MemoryMarshal.GetArrayDataReference(Pre);
        ref int preRecurrent = ref MemoryMarshal.GetArrayDataReference(PreRecurrent);
        for (int g = 0; g < _groups; g++)
        {
            Accumulate(ref w, pairsX, ref x, out TV a0, out TV a1, out TV a2, out TV a3);
            Accumulate(ref Unsafe.Add(ref w, hOffset), pairsH, ref h, out TV b0, out TV b1, out TV b2, out TV b3);
            int block = g * Blocks;
            Store(a0, b0, default, default, block, g, ref pre, ref preRecurrent);
            Store(a1, b1, default, default, block + 1, g, ref pre, ref preRecurrent);
            Store(a2, b2, default, default, block + 2, g, ref pre, ref preRecurrent);
            Store(a3, b3, default, default, block + 3, g, ref pre, ref preRecurrent);
            w = ref Unsafe.Add(ref w, Blocks * lanes * (pairsX + pairsH));
        }
    }

    /// <summary>int16 weights: the products against the low and the high parts of the split inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitProducts(short[] input)
    {
        _x.Load(input);
        _h.Load(PaddedState);
        int lanes = TW.Count, pairsX = _pairsX, pairsH = _pairsH, hOffset = Blocks * lanes * pairsX;
        ref int xl = ref InputPairs.PairsOf(_x.Low), xh = ref InputPairs.PairsOf(_x.High!);
        ref int hl = ref InputPairs.PairsOf(_h.Low), hh = ref InputPairs.PairsOf(_h.High!);
        ref int w = ref _weights.Start;
        ref int pre = ref MemoryMarshal.GetArrayDataReference(Pre);
        ref int preRecurrent = ref MemoryMarshal.GetArrayDataReference(PreRecurrent);
        for (int g = 0; g < _groups; g++)
        {
            int block = g * Blocks;
            for (int half = 0; half < Blocks; half += 2)
            {
                // Two blocks at a time: 4 accumulators per part (low and high sums of each block).
                ref int wb = ref Unsafe.Add(ref w, half * lanes);
                AccumulateSplit(ref wb, pairsX, ref xl, ref xh, out TV xl0, out TV xh0, out TV xl1, out TV xh1);
                AccumulateSplit(ref Unsafe.Add(ref wb, hOffset), pairsH, ref hl, ref hh, out TV hl0, out TV hh0, out TV hl1, out TV hh1);
                Store(xl0, hl0, xh0, hh0, block + half, g, ref pre, ref preRecurrent);
                Store(xl1, hl1, xh1, hh1, block + half + 1, g, ref pre, ref preRecurrent);
            }
            w = ref Unsafe.Add(ref w, Blocks * lanes * (pairsX + pairsH));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref int LoadPairs(InputPairs pairs, short[] values)
    {
        pairs.Load(values);
        return ref InputPairs.PairsOf(pairs.Low);
    }

    /// <summary>Block <paramref name="block"/>'s two products requantised; stored summed, or apart in the separate gates.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Store(TV sumsX, TV sumsH, TV highsX, TV highsH, int block, int group, ref int pre, ref int preRecurrent)
    {
        int lanes = TW.Count;
        TV x, h;
        if (_int32)
        {
            x = Scale32(sumsX, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scale32X), block * 4 * lanes));
            h = Scale32(sumsH, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scale32H), block * 4 * lanes));
        }
        else
        {
            x = TW.Scale64(sumsX, highsX, _split, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_intsX), block * 2 * lanes),
                ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_longsX), block * 2 * lanes));
            h = TW.Scale64(sumsH, highsH, _split, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_intsH), block * 2 * lanes),
                ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_longsH), block * 2 * lanes));
        }
        nuint at = (nuint)(block * lanes);
        if (group < _separateFrom)
        {
            TW.Store(TW.Add(x, h), ref pre, at);
        }
        else
        {
            TW.Store(x, ref pre, at);
            TW.Store(h, ref preRecurrent, at);
        }
    }

    /// <summary>
    /// bias + clamp((acc·m + 2^(s−1)) >> s, ±MaxBias) in int32 lanes for 17 ≤ s ≤ 46 (see
    /// <see cref="BlockRequantiser.Scale32"/>): with acc = 2^16·hi + lo, (hi·m + 2^(s−17) + ((lo·m) >> 16)) >> (s − 16).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Scale32(TV acc, ref int parameters)
    {
        int lanes = TW.Count;
        TV m = TW.Load(ref parameters, 0);
        TV high = TW.Multiply(TW.ShiftRightArithmetic(acc, 16), m);
        TV low = TW.ShiftRightLogical(TW.Multiply(TW.And(acc, TW.Create(0xFFFF)), m), 16);
        TV sum = TW.Add(TW.Add(high, low), TW.Load(ref parameters, (nuint)lanes));
        TV scaled = TW.ShiftRightVariable(sum, TW.Load(ref parameters, (nuint)(2 * lanes)));
        scaled = TW.Min(TW.Max(scaled, TW.Create(-ModelFormat.MaxBias)), TW.Create(ModelFormat.MaxBias));
        return TW.Add(scaled, TW.Load(ref parameters, (nuint)(3 * lanes)));
    }

    /// <summary>The exact row sums of 4 blocks over <paramref name="pairs"/> input pairs (one broadcast pair serves all 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(ref int w, int pairs, ref int x, out TV a0, out TV a1, out TV a2, out TV a3)
    {
        nuint lanes = (nuint)TW.Count;
        a0 = default; a1 = default; a2 = default; a3 = default;
        ref int end = ref Unsafe.Add(ref x, pairs);
        while (Unsafe.IsAddressLessThan(ref x, ref end))
        {
            TV v = TW.Create(x);
            a0 = TW.Add(a0, TW.MultiplyAddPairs(TW.Load(ref w, 0), v));
            a1 = TW.Add(a1, TW.MultiplyAddPairs(TW.Load(ref w, lanes), v));
            a2 = TW.Add(a2, TW.MultiplyAddPairs(TW.Load(ref w, 2 * lanes), v));
            a3 = TW.Add(a3, TW.MultiplyAddPairs(TW.Load(ref w, 3 * lanes), v));
            w = ref Unsafe.Add(ref w, 4 * lanes);
            x = ref Unsafe.Add(ref x, 1);
        }
    }

    /// <summary>Two blocks (of the group's 4, so the weight stride is 4 blocks) against the low and high input parts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateSplit(ref int w, int pairs, ref int xLow, ref int xHigh, out TV l0, out TV h0, out TV l1, out TV h1)
    {
        nuint lanes = (nuint)TW.Count;
        l0 = default; h0 = default; l1 = default; h1 = default;
        ref int end = ref Unsafe.Add(ref xLow, pairs);
        while (Unsafe.IsAddressLessThan(ref xLow, ref end))
        {
            TV vl = TW.Create(xLow), vh = TW.Create(xHigh);
            TV w0 = TW.Load(ref w, 0), w1 = TW.Load(ref w, lanes);
            l0 = TW.Add(l0, TW.MultiplyAddPairs(w0, vl));
            h0 = TW.Add(h0, TW.MultiplyAddPairs(w0, vh));
            l1 = TW.Add(l1, TW.MultiplyAddPairs(w1, vl));
            h1 = TW.Add(h1, TW.MultiplyAddPairs(w1, vh));
            w = ref Unsafe.Add(ref w, 4 * lanes);
            xLow = ref Unsafe.Add(ref xLow, 1);
            xHigh = ref Unsafe.Add(ref xHigh, 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TV Load(int[] values, int index) => TW.Load(ref MemoryMarshal.GetArrayDataReference(values), (nuint)index);

    /// <summary>(a·b + 2^14) >> 15 on int32 lanes (products stay below 2^31).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TV MulQ15(TV a, TV b) => TW.ShiftRightArithmetic(TW.Add(TW.Multiply(a, b), TW.Create(1 << 14)), 15);
}

/// <summary>Builds the cross-platform fused layers for one width.</summary>
internal static class VectorLayers<TV, TW>
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    public static RecurrentLayer Create(CellType cell, RecurrentLayerParameters parameters, int hidden) => cell switch
    {
        CellType.Lstm => new VectorLstmLayer<TV, TW>(parameters, hidden),
        CellType.Gru => new VectorGruLayer<TV, TW>(parameters, hidden),
        _ => new VectorRnnLayer<TV, TW>(parameters, hidden),
    };
}

/// <summary><see cref="LstmLayer"/>'s gates; the Q11 cell state is kept in int32 lanes.</summary>
internal sealed class VectorLstmLayer<TV, TW> : VectorRecurrentLayer<TV, TW>
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    private readonly int[] _cell;

    public VectorLstmLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden, separateGroups: 0)
    {
        _cell = new int[PaddedHidden];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Gates()
    {
        int n = PaddedHidden, lanes = TW.Count;
        int[] pre = Pre;
        ref int cell = ref MemoryMarshal.GetArrayDataReference(_cell);
        ref short h = ref MemoryMarshal.GetArrayDataReference(PaddedState);
        for (int j = 0; j < n; j += lanes)
        {
            TV i = VectorActivation<TV, TW>.Sigmoid(Load(pre, j));
            TV f = VectorActivation<TV, TW>.Sigmoid(Load(pre, j + n));
            TV g = VectorActivation<TV, TW>.Tanh(Load(pre, j + 2 * n));
            TV o = VectorActivation<TV, TW>.Sigmoid(Load(pre, j + 3 * n));
            // c = (f·c + ((i·g) >> 4) + 2^14) >> 15, saturated to int16.
            TV product = TW.Add(TW.Multiply(f, TW.Load(ref cell, (nuint)j)), TW.ShiftRightArithmetic(TW.Multiply(i, g), 4));
            TV c = TW.ShiftRightArithmetic(TW.Add(product, TW.Create(1 << 14)), 15);
            c = TW.Min(TW.Max(c, TW.Create(-32768)), TW.Create(32767));
            TW.Store(c, ref cell, (nuint)j);
            TW.StoreNarrowed(MulQ15(o, VectorActivation<TV, TW>.Tanh(TW.ShiftLeft(c, 1))), ref h, (nuint)j);
        }
    }

    public override void Reset()
    {
        base.Reset();
        Array.Clear(_cell);
    }
}

/// <summary><see cref="GruLayer"/>'s gates.</summary>
internal sealed class VectorGruLayer<TV, TW> : VectorRecurrentLayer<TV, TW>
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    public VectorGruLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden, separateGroups: 1)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Gates()
    {
        int n = PaddedHidden, lanes = TW.Count;
        int[] pre = Pre, preRecurrent = PreRecurrent;
        ref short h = ref MemoryMarshal.GetArrayDataReference(PaddedState);
        for (int j = 0; j < n; j += lanes)
        {
            TV r = VectorActivation<TV, TW>.Sigmoid(Load(pre, j));
            TV z = VectorActivation<TV, TW>.Sigmoid(Load(pre, j + n));
            // (r·hn + 2^14) >> 15 needs 44 bits; with hn = 2^15·high + low it is r·high + ((r·low + 2^14) >> 15).
            TV hn = Load(preRecurrent, j + 2 * n);
            TV gated = TW.Add(TW.Multiply(r, TW.ShiftRightArithmetic(hn, 15)), MulQ15(r, TW.And(hn, TW.Create(0x7FFF))));
            TV candidate = VectorActivation<TV, TW>.Tanh(TW.Add(Load(pre, j + 2 * n), gated));
            TV previous = TW.LoadWidened(ref h, (nuint)j);
            TW.StoreNarrowed(TW.Add(candidate, MulQ15(z, TW.Subtract(previous, candidate))), ref h, (nuint)j);
        }
    }
}

/// <summary><see cref="RnnLayer"/>'s gate.</summary>
internal sealed class VectorRnnLayer<TV, TW> : VectorRecurrentLayer<TV, TW>
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    public VectorRnnLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden, separateGroups: 0)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Gates()
    {
        int n = PaddedHidden, lanes = TW.Count;
        int[] pre = Pre;
        ref short h = ref MemoryMarshal.GetArrayDataReference(PaddedState);
        for (int j = 0; j < n; j += lanes) TW.StoreNarrowed(VectorActivation<TV, TW>.Tanh(Load(pre, j)), ref h, (nuint)j);
    }
}
