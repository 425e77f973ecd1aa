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
/// 4·Count; padded rows have zero weights, scale and bias, so padded units stay zero. When H is such a
/// multiple the recurrent product reads <see cref="RecurrentLayer.State"/> and the gates update it in place;
/// otherwise the state is kept in a padded copy and copied to State after each step. int16 weights: each
/// part's 4 blocks run in one pass (8 accumulators, low and high input parts) in a method of its own, and
/// are requantised in int64 lanes; the ±MaxBias clamp is skipped where no input can reach it.
/// </summary>
internal abstract class VectorRecurrentLayer<TV, TW> : RecurrentLayer
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    private const int Blocks = 4;
    private const int Scale32Values = 5;
    private readonly AlignedBuffer<int> _weights;
    private readonly int _pairsX, _pairsH, _groups, _separateFrom;
    private readonly bool _split, _xDirect, _int32, _inPlace;
    // Whether the ±MaxBias clamp can bite in each product (else it is skipped: BlockRequantiser.ClampCanBite).
    private readonly bool _clampX, _clampH;
    private readonly InputPairs _x, _h;
    // Per block: int32 requantisation [m, rounding, shift, bias, m·2^16] × Count; or int64: ints [m, bias] × Count,
    // longs as the width lays them out (IVectorWidth.Scale64Longs).
    private readonly int[] _scale32X, _scale32H, _intsX, _intsH;
    private readonly long[] _longsX, _longsH;

    protected VectorRecurrentLayer(RecurrentLayerParameters parameters, int hidden, int separateGroups)
        : base(hidden)
    {
        // The hot methods skip tiering (AggressiveOptimization) and are compiled at their first call: only if the
        // table's class is initialised by then does its address fold into them; otherwise every gate chunk checks
        // the class (a helper call the vectors live across are spilled around).
        RuntimeHelpers.RunClassConstructor(typeof(VectorActivation).TypeHandle);
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
        _clampX = BlockRequantiser.ClampCanBite(wx);
        _clampH = BlockRequantiser.ClampCanBite(wh);
        int Padded(int r) => r / hidden * PaddedHidden + r % hidden;
        _scale32X = _int32 ? Scale32Parameters(wx, parameters.InputBias, paddedRows, Padded) : [];
        _scale32H = _int32 ? Scale32Parameters(wh, parameters.RecurrentBias, paddedRows, Padded) : [];
        _intsX = _int32 ? [] : Scale64Ints(wx, parameters.InputBias, paddedRows, Padded);
        _intsH = _int32 ? [] : Scale64Ints(wh, parameters.RecurrentBias, paddedRows, Padded);
        _longsX = _int32 ? [] : Scale64Longs(wx, paddedRows, Padded);
        _longsH = _int32 ? [] : Scale64Longs(wh, paddedRows, Padded);
        Pre = new int[paddedRows];
        PreRecurrent = new int[paddedRows];
        // When no unit is padding, the state itself is read and updated in place (no copy per step).
        _inPlace = PaddedHidden == hidden;
        PaddedState = _inPlace ? State : new short[PaddedHidden];
    }

    /// <summary>Hidden units rounded up to whole groups of 4·Count rows.</summary>
    protected int PaddedHidden { get; }

    /// <summary>Q12 pre-activations, gate g of unit j at g·PaddedHidden + j (the input part alone in separate gates).</summary>
    protected int[] Pre { get; }

    /// <summary>The recurrent part of the separate gates (GRU's n gate), same indices.</summary>
    protected int[] PreRecurrent { get; }

    /// <summary>The hidden state padded to PaddedHidden units (the padding stays zero); State itself when H = PaddedHidden.</summary>
    protected short[] PaddedState { get; }

    private static bool Int32Requantisable(QuantizedMatrix matrix)
    {
        for (int r = 0; r < matrix.Rows; r++)
        {
            if (matrix.Shifts[r] < 17 || matrix.Shifts[r] > 46) return false;
        }
        return true;
    }

    /// <summary>Per block of Count rows: m, rounding 2^(s−17), s − 16, bias, m·2^16 (Count values each).</summary>
    private static int[] Scale32Parameters(QuantizedMatrix matrix, int[] bias, int paddedRows, Func<int, int> padded)
    {
        int lanes = TW.Count;
        var values = new int[paddedRows * Scale32Values];
        // Padded rows: m = 0, rounding 1, shift 1 give (0 + 1) >> 1 = 0.
        for (int p = 0; p < paddedRows; p++)
        {
            values[(p / lanes * Scale32Values + 1) * lanes + p % lanes] = 1;
            values[(p / lanes * Scale32Values + 2) * lanes + p % lanes] = 1;
        }
        for (int r = 0; r < matrix.Rows; r++)
        {
            int p = padded(r), at = p / lanes * Scale32Values * lanes + p % lanes, shift = matrix.Shifts[r];
            values[at] = matrix.Multipliers[r];
            values[at + lanes] = 1 << (shift - 17);
            values[at + 2 * lanes] = shift - 16;
            values[at + 3 * lanes] = bias[r];
            // m ≤ 32767 (the format's limit), so m·2^16 fits and its high int16 half is m.
            values[at + 4 * lanes] = matrix.Multipliers[r] << 16;
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
        int lanes = TW.Count, perBlock = TW.Scale64LongsPerRow * lanes;
        // Padded rows: shift 0 (m = 0 makes them 0).
        var shifts = new int[paddedRows];
        for (int r = 0; r < matrix.Rows; r++) shifts[padded(r)] = matrix.Shifts[r];
        var values = new long[paddedRows / lanes * perBlock];
        for (int b = 0; b < paddedRows / lanes; b++) TW.Scale64Longs(shifts.AsSpan(b * lanes, lanes), values.AsSpan(b * perBlock, perBlock));
        return values;
    }

    // Not inlined into Predictor.Advance (see FusedRecurrentLayer.Step).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public sealed override void Step(short[] input)
    {
        if (_split) SplitProducts(input);
        else Products(input);
        Gates();
        if (!_inPlace) PaddedState.AsSpan(0, Hidden).CopyTo(State);
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
        ref int intsX = ref MemoryMarshal.GetArrayDataReference(_intsX), intsH = ref MemoryMarshal.GetArrayDataReference(_intsH);
        ref long longsX = ref MemoryMarshal.GetArrayDataReference(_longsX), longsH = ref MemoryMarshal.GetArrayDataReference(_longsH);
        for (int g = 0; g < _groups; g++)
        {
            // All 4 blocks in one pass over each part: one broadcast of each input pair serves 8 accumulators
            // (the low and high sums of each block).
            int block = g * Blocks;
            // One call per part: as its own method, the loop gets all 16 AVX2 registers (inlined here, constants the
            // JIT hoists out of the group loop took 4 of them and an accumulator went through the stack).
            int ints = block * 2 * lanes, longs = block * TW.Scale64LongsPerRow * lanes, at = block * lanes;
            SplitPart(ref w, pairsX, ref xl, ref xh, ref Unsafe.Add(ref intsX, ints), ref Unsafe.Add(ref longsX, longs), _clampX, ref Unsafe.Add(ref pre, at), add: false);
            SplitPart(ref Unsafe.Add(ref w, hOffset), pairsH, ref hl, ref hh, ref Unsafe.Add(ref intsH, ints), ref Unsafe.Add(ref longsH, longs), _clampH,
                ref Unsafe.Add(ref g < _separateFrom ? ref pre : ref preRecurrent, at), add: g < _separateFrom);
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
            x = Scale32(sumsX, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scale32X), block * Scale32Values * lanes), _clampX);
            h = Scale32(sumsH, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scale32H), block * Scale32Values * lanes), _clampH);
        }
        else
        {
            x = TW.Scale64(sumsX, highsX, _split, _clampX, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_intsX), block * 2 * lanes),
                ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_longsX), block * TW.Scale64LongsPerRow * lanes));
            h = TW.Scale64(sumsH, highsH, _split, _clampH, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_intsH), block * 2 * lanes),
                ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_longsH), block * TW.Scale64LongsPerRow * lanes));
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
    /// int16 weights: one part (input or recurrent) of a group's 4 blocks, requantised in int64 lanes and stored
    /// at <paramref name="destination"/>, or added to what is there.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void SplitPart(ref int w, int pairs, ref int low, ref int high, ref int ints, ref long longs, bool clamp, ref int destination, bool add)
    {
        int lanes = TW.Count, longStep = TW.Scale64LongsPerRow * lanes;
        AccumulateSplit(ref w, pairs, ref low, ref high, out TV l0, out TV h0, out TV l1, out TV h1, out TV l2, out TV h2, out TV l3, out TV h3);
        TV s0 = TW.Scale64(l0, h0, true, clamp, ref ints, ref longs);
        TV s1 = TW.Scale64(l1, h1, true, clamp, ref Unsafe.Add(ref ints, 2 * lanes), ref Unsafe.Add(ref longs, longStep));
        TV s2 = TW.Scale64(l2, h2, true, clamp, ref Unsafe.Add(ref ints, 4 * lanes), ref Unsafe.Add(ref longs, 2 * longStep));
        TV s3 = TW.Scale64(l3, h3, true, clamp, ref Unsafe.Add(ref ints, 6 * lanes), ref Unsafe.Add(ref longs, 3 * longStep));
        if (add)
        {
            s0 = TW.Add(s0, TW.Load(ref destination, 0));
            s1 = TW.Add(s1, TW.Load(ref destination, (nuint)lanes));
            s2 = TW.Add(s2, TW.Load(ref destination, (nuint)(2 * lanes)));
            s3 = TW.Add(s3, TW.Load(ref destination, (nuint)(3 * lanes)));
        }
        TW.Store(s0, ref destination, 0);
        TW.Store(s1, ref destination, (nuint)lanes);
        TW.Store(s2, ref destination, (nuint)(2 * lanes));
        TW.Store(s3, ref destination, (nuint)(3 * lanes));
    }

    /// <summary>
    /// bias + clamp((acc·m + 2^(s−1)) >> s, ±MaxBias) in int32 lanes for 17 ≤ s ≤ 46 (see
    /// <see cref="BlockRequantiser.Scale32"/>): with acc = 2^16·hi + lo, (hi·m + 2^(s−17) + ((lo·m) >> 16)) >> (s − 16).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Scale32(TV acc, ref int parameters, bool clamp)
    {
        int lanes = TW.Count;
        TV sum = TW.Add(TW.MultiplyHighLow(acc, TW.Load(ref parameters, 0), TW.Load(ref parameters, (nuint)(4 * lanes))), TW.Load(ref parameters, (nuint)lanes));
        TV scaled = TW.ShiftRightVariable(sum, TW.Load(ref parameters, (nuint)(2 * lanes)));
        if (clamp) scaled = TW.Min(TW.Max(scaled, TW.Create(-ModelFormat.MaxBias)), TW.Create(ModelFormat.MaxBias));
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

    /// <summary>The 4 blocks of a group against the low and high input parts (8 accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateSplit(ref int w, int pairs, ref int xLow, ref int xHigh,
        out TV l0, out TV h0, out TV l1, out TV h1, out TV l2, out TV h2, out TV l3, out TV h3)
    {
        nuint lanes = (nuint)TW.Count;
        l0 = default; h0 = default; l1 = default; h1 = default; l2 = default; h2 = default; l3 = default; h3 = default;
        ref int end = ref Unsafe.Add(ref xLow, pairs);
        while (Unsafe.IsAddressLessThan(ref xLow, ref end))
        {
            TV vl = TW.Create(xLow), vh = TW.Create(xHigh);
            TV w0 = TW.Load(ref w, 0), w1 = TW.Load(ref w, lanes);
            l0 = TW.Add(l0, TW.MultiplyAddPairs(w0, vl));
            h0 = TW.Add(h0, TW.MultiplyAddPairs(w0, vh));
            l1 = TW.Add(l1, TW.MultiplyAddPairs(w1, vl));
            h1 = TW.Add(h1, TW.MultiplyAddPairs(w1, vh));
            TV w2 = TW.Load(ref w, 2 * lanes), w3 = TW.Load(ref w, 3 * lanes);
            l2 = TW.Add(l2, TW.MultiplyAddPairs(w2, vl));
            h2 = TW.Add(h2, TW.MultiplyAddPairs(w2, vh));
            l3 = TW.Add(l3, TW.MultiplyAddPairs(w3, vl));
            h3 = TW.Add(h3, TW.MultiplyAddPairs(w3, vh));
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
