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
/// or its NEON equivalent; 8 blocks on AVX2 for int8 weights requantised in int32, see <see cref="Group8"/>);
/// each group's exact row sums are requantised in registers as soon as they are
/// complete (int32 lanes when every shift allows, as <see cref="BlockRequantiser.Scale32"/>; else int64
/// lanes) and summed into Q12 pre-activations; then the gates run on <c>Count</c> units at a time with the
/// activation table gathered (<see cref="VectorActivation{TV, TW}"/>), in two passes over the units so that no gather
/// waits on another in the same loop. Units are padded to a multiple of
/// 4·Count; padded rows have zero weights, scale and bias, so padded units stay zero. When H is such a
/// multiple the recurrent product reads <see cref="RecurrentLayer.State"/> and the gates update it in place;
/// otherwise the state is kept in a padded copy and copied to State after each step. int16 weights: each
/// part's 4 blocks run in one pass (8 accumulators, low and high input parts) in a method of its own, and
/// are requantised in int64 lanes; in a step whose inputs are all small enough that no input row sum can overflow an
/// int32 the input part runs unsplit (<see cref="DirectPart"/>). The ±MaxBias clamp is skipped where no input can reach it. Every buffer
/// read or written as vectors (weights, requantisation tables, pre-activations, cell state) is 64-byte aligned.
/// </summary>
internal abstract class VectorRecurrentLayer<TV, TW> : RecurrentLayer
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    private const int Blocks = 4;
    private const int WideBlocks = 8;
    private const int Scale32Values = 5;
    private readonly AlignedBuffer<int> _weights;
    // _separateFrom: the first block (of Count rows) of the separate gates.
    private readonly int _pairsX, _pairsH, _groups, _separateFrom;
    private readonly bool _split, _xDirect, _int32, _inPlace;
    // Blocks per group, in order (int8 weights with int32 requantisation on 256-bit vectors: 8 where they fit, else 4;
    // otherwise 4): the blocks of a group share each broadcast input pair.
    private readonly int[] _widths;
    // Whether the ±MaxBias clamp can bite in each product (else it is skipped: BlockRequantiser.ClampCanBite).
    private readonly bool _clampX, _clampH;
    private readonly InputPairs _x, _h;
    // int16 weights: the largest |x| for which every input row's sum fits an int32 unsplit ((2^31 − 1) / max row L1);
    // -1 when the input part always runs split (see SplitProducts).
    private readonly int _directLimit;
    // The unsplit input product requantised in int32 lanes (every input shift in [17, 46], as int8 weights).
    private readonly bool _direct32;
    // Per block: int32 requantisation [m, rounding, shift, bias, m·2^16] × Count; or int64: ints [m, bias] × Count,
    // longs as the width lays them out (IVectorWidth.Scale64Longs).
    // 64-byte aligned, as every buffer the step loads vectors from or stores them to (a 256-bit access to an
    // ordinary array, 16-byte aligned, crosses a cache line every other time).
    private readonly AlignedBuffer<int> _scale32X, _scale32H, _intsX, _intsH;
    private readonly AlignedBuffer<long> _longsX, _longsH;

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
        _separateFrom = (gates - separateGroups) * PaddedHidden / lanes;
        _split = wx.Weights16 != null;
        _pairsX = (wx.Cols + 1) / 2;
        _pairsH = (wh.Cols + 1) / 2;
        _int32 = !_split && Int32Requantisable(wx) && Int32Requantisable(wh);
        // 8 blocks per group on AVX2 (8 accumulators and the broadcast in 16 registers): half the broadcasts and loop
        // steps per pmaddwd of 4 blocks. Not for int16 weights (16 accumulators) nor the 128-bit path (NEON unmeasured).
        _widths = Widths(paddedRows / lanes, _int32 && lanes == 8 ? WideBlocks : Blocks);
        // Group of width k from block b0: the input part pair by pair (k blocks of `lanes` rows × 2 columns per pair),
        // then the recurrent part; at b0·lanes·(pairsX + pairsH) ints.
        _weights = new AlignedBuffer<int>(paddedRows * (_pairsX + _pairsH));
        Span<short> w = MemoryMarshal.Cast<int, short>(_weights.Span);
        int first = 0;
        foreach (int k in _widths)
        {
            int x0 = first * lanes * (_pairsX + _pairsH) * 2, h0 = x0 + k * lanes * _pairsX * 2;
            for (int i = 0; i < k; i++)
            {
                for (int lane = 0; lane < lanes; lane++)
                {
                    int p = (first + i) * lanes + lane;
                    if (p % PaddedHidden >= hidden) continue;
                    int r = p / PaddedHidden * hidden + p % PaddedHidden;
                    for (int c = 0; c < wx.Cols; c++) w[x0 + ((c / 2 * k + i) * lanes + lane) * 2 + (c & 1)] = (short)wx.Weight(r, c);
                    for (int c = 0; c < wh.Cols; c++) w[h0 + ((c / 2 * k + i) * lanes + lane) * 2 + (c & 1)] = (short)wh.Weight(r, c);
                }
            }
            first += k;
        }
        _x = new InputPairs(wx.Cols, _split);
        _h = new InputPairs(wh.Cols, _split);
        _xDirect = !_split && wx.Cols % 2 == 0;
        _directLimit = _split && wx.Cols % 2 == 0 ? DirectLimit(wx) : -1;
        _clampX = BlockRequantiser.ClampCanBite(wx);
        _clampH = BlockRequantiser.ClampCanBite(wh);
        int Padded(int r) => r / hidden * PaddedHidden + r % hidden;
        _direct32 = _directLimit >= 0 && Int32Requantisable(wx);
        _scale32X = Aligned(_int32 || _direct32 ? Scale32Parameters(wx, parameters.InputBias, paddedRows, Padded) : []);
        _scale32H = Aligned(_int32 ? Scale32Parameters(wh, parameters.RecurrentBias, paddedRows, Padded) : []);
        _intsX = Aligned(_int32 ? [] : Scale64Ints(wx, parameters.InputBias, paddedRows, Padded, _clampX));
        _intsH = Aligned(_int32 ? [] : Scale64Ints(wh, parameters.RecurrentBias, paddedRows, Padded, _clampH));
        _longsX = Aligned(_int32 ? [] : Scale64Longs(wx, paddedRows, Padded));
        _longsH = Aligned(_int32 ? [] : Scale64Longs(wh, paddedRows, Padded));
        Pre = new AlignedBuffer<int>(paddedRows);
        PreRecurrent = new AlignedBuffer<int>(paddedRows);
        // When no unit is padding, the state itself is read and updated in place (no copy per step).
        _inPlace = PaddedHidden == hidden;
        PaddedState = _inPlace ? State : new short[PaddedHidden];
    }

    /// <summary>Hidden units rounded up to whole groups of 4·Count rows.</summary>
    protected int PaddedHidden { get; }

    /// <summary>Q12 pre-activations, gate g of unit j at g·PaddedHidden + j (the input part alone in separate gates).</summary>
    protected AlignedBuffer<int> Pre { get; }

    /// <summary>The recurrent part of the separate gates (GRU's n gate), same indices.</summary>
    protected AlignedBuffer<int> PreRecurrent { get; }

    /// <summary>The hidden state padded to PaddedHidden units (the padding stays zero); State itself when H = PaddedHidden.</summary>
    protected short[] PaddedState { get; }

    /// <summary>Group widths over <paramref name="blocks"/> blocks (a multiple of 4): as many of <paramref name="widest"/> as fit, then 4s.</summary>
    private static int[] Widths(int blocks, int widest)
    {
        var widths = new List<int>();
        int b = 0;
        for (; b + widest <= blocks; b += widest) widths.Add(widest);
        for (; b < blocks; b += Blocks) widths.Add(Blocks);
        return widths.ToArray();
    }

    /// <summary>(2^31 − 1) / (the largest row L1 of the weights), at most 32767.</summary>
    private static int DirectLimit(QuantizedMatrix matrix)
    {
        long maxL1 = 1;
        for (int r = 0; r < matrix.Rows; r++)
        {
            long l1 = 0;
            for (int c = 0; c < matrix.Cols; c++) l1 += Math.Abs(matrix.Weight(r, c));
            maxL1 = Math.Max(maxL1, l1);
        }
        return (int)Math.Min(32767, int.MaxValue / maxL1);
    }

    /// <summary>Whether every one of the first <paramref name="cols"/> values lies within ±<paramref name="limit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool WithinLimit(short[] values, int cols, int limit)
    {
        if (values.Length < cols) return false;
        ref short v = ref MemoryMarshal.GetArrayDataReference(values);
        int c = 0;
        Vector128<short> high = Vector128.Create((short)limit), low = Vector128.Create((short)-limit);
        for (; c + Vector128<short>.Count <= cols; c += Vector128<short>.Count)
        {
            Vector128<short> x = Vector128.LoadUnsafe(ref v, (nuint)c);
            if (Vector128.GreaterThanAny(x, high) || Vector128.LessThanAny(x, low)) return false;
        }
        for (; c < cols; c++)
        {
            int x = Unsafe.Add(ref v, c);
            if (x > limit || x < -limit) return false;
        }
        return true;
    }

    private static AlignedBuffer<T> Aligned<T>(T[] values)
        where T : unmanaged
    {
        var buffer = new AlignedBuffer<T>(values.Length);
        values.CopyTo(buffer.Span);
        return buffer;
    }

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

    /// <summary>Per block of Count rows: m, then the bias as the width's Scale64 reads it (Count values each).</summary>
    private static int[] Scale64Ints(QuantizedMatrix matrix, int[] bias, int paddedRows, Func<int, int> padded, bool clamp)
    {
        int lanes = TW.Count;
        var values = new int[paddedRows * 2];
        for (int r = 0; r < matrix.Rows; r++)
        {
            int p = padded(r), at = p / lanes * 2 * lanes + p % lanes;
            values[at] = matrix.Multipliers[r];
            values[at + lanes] = TW.Scale64Bias(bias[r], matrix.Shifts[r], clamp);
        }
        return values;
    }

    private static long[] Scale64Longs(QuantizedMatrix matrix, int paddedRows, Func<int, int> padded)
    {
        int lanes = TW.Count, perBlock = TW.Scale64LongsPerRow * lanes;
        // Padded rows: shift 0 and m = 0 (which makes them 0).
        var shifts = new int[paddedRows];
        var multipliers = new int[paddedRows];
        for (int r = 0; r < matrix.Rows; r++)
        {
            shifts[padded(r)] = matrix.Shifts[r];
            multipliers[padded(r)] = matrix.Multipliers[r];
        }
        var values = new long[paddedRows / lanes * perBlock];
        for (int b = 0; b < paddedRows / lanes; b++)
        {
            TW.Scale64Longs(shifts.AsSpan(b * lanes, lanes), multipliers.AsSpan(b * lanes, lanes), values.AsSpan(b * perBlock, perBlock));
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
        ref int pre = ref Pre.Start;
        ref int preRecurrent = ref PreRecurrent.Start;
        int[] widths = _widths;
        int block = 0;
        for (int g = 0; g < widths.Length; g++)
        {
            if (widths[g] == WideBlocks)
            {
                // Only with int32 requantisation (see the constructor).
                int step = Scale32Values * lanes * block;
                Group8(ref w, pairsX, ref x, pairsH, ref h, ref Unsafe.Add(ref _scale32X.Start, step),
                    ref Unsafe.Add(ref _scale32H.Start, step), _clampX, _clampH,
                    ref Unsafe.Add(ref pre, block * lanes), ref Unsafe.Add(ref preRecurrent, block * lanes), _separateFrom - block);
                w = ref Unsafe.Add(ref w, WideBlocks * lanes * (pairsX + pairsH));
                block += WideBlocks;
                continue;
            }
            Accumulate(ref w, pairsX, ref x, out TV a0, out TV a1, out TV a2, out TV a3);
            Accumulate(ref Unsafe.Add(ref w, hOffset), pairsH, ref h, out TV b0, out TV b1, out TV b2, out TV b3);
            Store(a0, b0, default, default, block, ref pre, ref preRecurrent);
            Store(a1, b1, default, default, block + 1, ref pre, ref preRecurrent);
            Store(a2, b2, default, default, block + 2, ref pre, ref preRecurrent);
            Store(a3, b3, default, default, block + 3, ref pre, ref preRecurrent);
            w = ref Unsafe.Add(ref w, Blocks * lanes * (pairsX + pairsH));
            block += Blocks;
        }
    }

    /// <summary>
    /// int8 weights, int32 requantisation: a group of 8 blocks. The input part's 8 row sums are requantised and
    /// stored to Pre, then the recurrent part's are added to them (the first <paramref name="summedBlocks"/> blocks)
    /// or stored to PreRecurrent (separate gates): 8 accumulators and the broadcast fit AVX2's 16 registers, the
    /// 8 scaled input parts would not.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Group8(ref int w, int pairsX, ref int x, int pairsH, ref int h, ref int sx, ref int sh, bool clampX, bool clampH,
        ref int pre, ref int preRecurrent, int summedBlocks)
    {
        int lanes = TW.Count, next = Scale32Values * lanes;
        Accumulate8(ref w, pairsX, ref x, out TV a0, out TV a1, out TV a2, out TV a3, out TV a4, out TV a5, out TV a6, out TV a7);
        TW.Store(Scale32(a0, ref sx, clampX), ref pre, 0);
        TW.Store(Scale32(a1, ref Unsafe.Add(ref sx, next), clampX), ref pre, (nuint)lanes);
        TW.Store(Scale32(a2, ref Unsafe.Add(ref sx, 2 * next), clampX), ref pre, (nuint)(2 * lanes));
        TW.Store(Scale32(a3, ref Unsafe.Add(ref sx, 3 * next), clampX), ref pre, (nuint)(3 * lanes));
        TW.Store(Scale32(a4, ref Unsafe.Add(ref sx, 4 * next), clampX), ref pre, (nuint)(4 * lanes));
        TW.Store(Scale32(a5, ref Unsafe.Add(ref sx, 5 * next), clampX), ref pre, (nuint)(5 * lanes));
        TW.Store(Scale32(a6, ref Unsafe.Add(ref sx, 6 * next), clampX), ref pre, (nuint)(6 * lanes));
        TW.Store(Scale32(a7, ref Unsafe.Add(ref sx, 7 * next), clampX), ref pre, (nuint)(7 * lanes));
        Accumulate8(ref Unsafe.Add(ref w, WideBlocks * lanes * pairsX), pairsH, ref h, out a0, out a1, out a2, out a3, out a4, out a5, out a6, out a7);
        AddScaled(a0, ref sh, clampH, ref pre, ref preRecurrent, 0, summedBlocks);
        AddScaled(a1, ref sh, clampH, ref pre, ref preRecurrent, 1, summedBlocks);
        AddScaled(a2, ref sh, clampH, ref pre, ref preRecurrent, 2, summedBlocks);
        AddScaled(a3, ref sh, clampH, ref pre, ref preRecurrent, 3, summedBlocks);
        AddScaled(a4, ref sh, clampH, ref pre, ref preRecurrent, 4, summedBlocks);
        AddScaled(a5, ref sh, clampH, ref pre, ref preRecurrent, 5, summedBlocks);
        AddScaled(a6, ref sh, clampH, ref pre, ref preRecurrent, 6, summedBlocks);
        AddScaled(a7, ref sh, clampH, ref pre, ref preRecurrent, 7, summedBlocks);
    }

    /// <summary>Block i of a wide group: its recurrent sums scaled and added to Pre, or stored to PreRecurrent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(TV sums, ref int sh, bool clamp, ref int pre, ref int preRecurrent, int i, int summedBlocks)
    {
        int lanes = TW.Count;
        nuint at = (nuint)(i * lanes);
        TV scaled = Scale32(sums, ref Unsafe.Add(ref sh, i * Scale32Values * lanes), clamp);
        if (i < summedBlocks) TW.Store(TW.Add(scaled, TW.Load(ref pre, at)), ref pre, at);
        else TW.Store(scaled, ref preRecurrent, at);
    }

    /// <summary>int16 weights: the products against the low and the high parts of the split inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitProducts(short[] input)
    {
        // The input part unsplit when no row sum can overflow an int32 this step (|x| ≤ _directLimit): half the
        // pmaddwd and no high-part products in its requantisation; the exact sums, so the same bits.
        bool direct = _directLimit >= 0 && WithinLimit(input, _x.Cols, _directLimit);
        if (!direct) _x.Load(input);
        _h.Load(PaddedState);
        int lanes = TW.Count, pairsX = _pairsX, pairsH = _pairsH, hOffset = Blocks * lanes * pairsX;
        ref int xl = ref InputPairs.PairsOf(_x.Low), xh = ref InputPairs.PairsOf(_x.High!);
        ref int hl = ref InputPairs.PairsOf(_h.Low), hh = ref InputPairs.PairsOf(_h.High!);
        ref int w = ref _weights.Start;
        ref int pre = ref Pre.Start;
        ref int preRecurrent = ref PreRecurrent.Start;
        ref int intsX = ref _intsX.Start, intsH = ref _intsH.Start;
        ref long longsX = ref _longsX.Start, longsH = ref _longsH.Start;
        for (int g = 0; g < _groups; g++)
        {
            // All 4 blocks in one pass over each part: one broadcast of each input pair serves 8 accumulators
            // (the low and high sums of each block).
            int block = g * Blocks;
            bool summed = block < _separateFrom;
            // One call per part: as its own method, the loop gets all 16 AVX2 registers (inlined here, constants the
            // JIT hoists out of the group loop took 4 of them and an accumulator went through the stack).
            int ints = block * 2 * lanes, longs = block * TW.Scale64LongsPerRow * lanes, at = block * lanes;
            if (direct && _direct32) DirectPart32(ref w, pairsX, ref InputPairs.PairsOf(input), ref Unsafe.Add(ref _scale32X.Start, block * Scale32Values * lanes), _clampX, ref Unsafe.Add(ref pre, at));
            else if (direct) DirectPart(ref w, pairsX, ref InputPairs.PairsOf(input), ref Unsafe.Add(ref intsX, ints), ref Unsafe.Add(ref longsX, longs), _clampX, ref Unsafe.Add(ref pre, at));
            else SplitPart(ref w, pairsX, ref xl, ref xh, ref Unsafe.Add(ref intsX, ints), ref Unsafe.Add(ref longsX, longs), _clampX, ref Unsafe.Add(ref pre, at), add: false);
            SplitPart(ref Unsafe.Add(ref w, hOffset), pairsH, ref hl, ref hh, ref Unsafe.Add(ref intsH, ints), ref Unsafe.Add(ref longsH, longs), _clampH,
                ref Unsafe.Add(ref summed ? ref pre : ref preRecurrent, at), add: summed);
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
    private void Store(TV sumsX, TV sumsH, TV highsX, TV highsH, int block, ref int pre, ref int preRecurrent)
    {
        int lanes = TW.Count;
        TV x, h;
        if (_int32)
        {
            x = Scale32(sumsX, ref Unsafe.Add(ref _scale32X.Start, block * Scale32Values * lanes), _clampX);
            h = Scale32(sumsH, ref Unsafe.Add(ref _scale32H.Start, block * Scale32Values * lanes), _clampH);
        }
        else
        {
            x = TW.Scale64(sumsX, highsX, _split, _clampX, ref Unsafe.Add(ref _intsX.Start, block * 2 * lanes),
                ref Unsafe.Add(ref _longsX.Start, block * TW.Scale64LongsPerRow * lanes));
            h = TW.Scale64(sumsH, highsH, _split, _clampH, ref Unsafe.Add(ref _intsH.Start, block * 2 * lanes),
                ref Unsafe.Add(ref _longsH.Start, block * TW.Scale64LongsPerRow * lanes));
        }
        nuint at = (nuint)(block * lanes);
        if (block < _separateFrom)
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
    /// int16 weights, inputs small enough that each row sum fits an int32: the input part of a group's 4 blocks
    /// unsplit (one chain per block), requantised in int64 lanes and stored at <paramref name="destination"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void DirectPart(ref int w, int pairs, ref int x, ref int ints, ref long longs, bool clamp, ref int destination)
    {
        int lanes = TW.Count, longStep = TW.Scale64LongsPerRow * lanes;
        Accumulate(ref w, pairs, ref x, out TV a0, out TV a1, out TV a2, out TV a3);
        TW.Store(TW.Scale64(a0, default, false, clamp, ref ints, ref longs), ref destination, 0);
        TW.Store(TW.Scale64(a1, default, false, clamp, ref Unsafe.Add(ref ints, 2 * lanes), ref Unsafe.Add(ref longs, longStep)), ref destination, (nuint)lanes);
        TW.Store(TW.Scale64(a2, default, false, clamp, ref Unsafe.Add(ref ints, 4 * lanes), ref Unsafe.Add(ref longs, 2 * longStep)), ref destination, (nuint)(2 * lanes));
        TW.Store(TW.Scale64(a3, default, false, clamp, ref Unsafe.Add(ref ints, 6 * lanes), ref Unsafe.Add(ref longs, 3 * longStep)), ref destination, (nuint)(3 * lanes));
    }

    /// <summary>As <see cref="DirectPart"/>, requantised in int32 lanes (<see cref="Scale32"/>: any int32 sum, 17 ≤ s ≤ 46).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void DirectPart32(ref int w, int pairs, ref int x, ref int parameters, bool clamp, ref int destination)
    {
        int lanes = TW.Count, next = Scale32Values * lanes;
        Accumulate(ref w, pairs, ref x, out TV a0, out TV a1, out TV a2, out TV a3);
        TW.Store(Scale32(a0, ref parameters, clamp), ref destination, 0);
        TW.Store(Scale32(a1, ref Unsafe.Add(ref parameters, next), clamp), ref destination, (nuint)lanes);
        TW.Store(Scale32(a2, ref Unsafe.Add(ref parameters, 2 * next), clamp), ref destination, (nuint)(2 * lanes));
        TW.Store(Scale32(a3, ref Unsafe.Add(ref parameters, 3 * next), clamp), ref destination, (nuint)(3 * lanes));
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
            // The broadcast first: pmaddwd is symmetric, and the weight load folds into it as its memory operand.
            TV v = TW.Create(x);
            a0 = TW.Add(a0, TW.MultiplyAddPairs(v, TW.Load(ref w, 0)));
            a1 = TW.Add(a1, TW.MultiplyAddPairs(v, TW.Load(ref w, lanes)));
            a2 = TW.Add(a2, TW.MultiplyAddPairs(v, TW.Load(ref w, 2 * lanes)));
            a3 = TW.Add(a3, TW.MultiplyAddPairs(v, TW.Load(ref w, 3 * lanes)));
            w = ref Unsafe.Add(ref w, 4 * lanes);
            x = ref Unsafe.Add(ref x, 1);
        }
    }

    /// <summary>The exact row sums of 8 blocks over <paramref name="pairs"/> input pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate8(ref int w, int pairs, ref int x, out TV a0, out TV a1, out TV a2, out TV a3, out TV a4, out TV a5, out TV a6, out TV a7)
    {
        nuint lanes = (nuint)TW.Count;
        a0 = default; a1 = default; a2 = default; a3 = default; a4 = default; a5 = default; a6 = default; a7 = default;
        ref int end = ref Unsafe.Add(ref x, pairs);
        while (Unsafe.IsAddressLessThan(ref x, ref end))
        {
            TV v = TW.Create(x);
            a0 = TW.Add(a0, TW.MultiplyAddPairs(v, TW.Load(ref w, 0)));
            a1 = TW.Add(a1, TW.MultiplyAddPairs(v, TW.Load(ref w, lanes)));
            a2 = TW.Add(a2, TW.MultiplyAddPairs(v, TW.Load(ref w, 2 * lanes)));
            a3 = TW.Add(a3, TW.MultiplyAddPairs(v, TW.Load(ref w, 3 * lanes)));
            a4 = TW.Add(a4, TW.MultiplyAddPairs(v, TW.Load(ref w, 4 * lanes)));
            a5 = TW.Add(a5, TW.MultiplyAddPairs(v, TW.Load(ref w, 5 * lanes)));
            a6 = TW.Add(a6, TW.MultiplyAddPairs(v, TW.Load(ref w, 6 * lanes)));
            a7 = TW.Add(a7, TW.MultiplyAddPairs(v, TW.Load(ref w, 7 * lanes)));
            w = ref Unsafe.Add(ref w, 8 * lanes);
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
            // Each weight vector read twice, as pmaddwd's memory operand (pmaddwd is symmetric): no separate loads.
            TV vl = TW.Create(xLow), vh = TW.Create(xHigh);
            l0 = TW.Add(l0, TW.MultiplyAddPairs(vl, TW.Load(ref w, 0)));
            h0 = TW.Add(h0, TW.MultiplyAddPairs(vh, TW.Load(ref w, 0)));
            l1 = TW.Add(l1, TW.MultiplyAddPairs(vl, TW.Load(ref w, lanes)));
            h1 = TW.Add(h1, TW.MultiplyAddPairs(vh, TW.Load(ref w, lanes)));
            l2 = TW.Add(l2, TW.MultiplyAddPairs(vl, TW.Load(ref w, 2 * lanes)));
            h2 = TW.Add(h2, TW.MultiplyAddPairs(vh, TW.Load(ref w, 2 * lanes)));
            l3 = TW.Add(l3, TW.MultiplyAddPairs(vl, TW.Load(ref w, 3 * lanes)));
            h3 = TW.Add(h3, TW.MultiplyAddPairs(vh, TW.Load(ref w, 3 * lanes)));
            w = ref Unsafe.Add(ref w, 4 * lanes);
            xLow = ref Unsafe.Add(ref xLow, 1);
            xHigh = ref Unsafe.Add(ref xHigh, 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static TV Load(ref int values, int index) => TW.Load(ref values, (nuint)index);

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

/// <summary>
/// <see cref="LstmLayer"/>'s gates; the Q11 cell state is kept in int32 lanes. Two passes over the units: the four gate
/// activations and the cell, then tanh of the cell and h. A gather that waits on other gathers (tanh(c) needs i, f, g)
/// in the same loop held the independent ones of the next units back (LSTM H = 32 step 12–14 ns slower, int8 and int16).
/// </summary>
internal sealed class VectorLstmLayer<TV, TW> : VectorRecurrentLayer<TV, TW>
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    private readonly AlignedBuffer<int> _cell;

    public VectorLstmLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden, separateGroups: 0)
    {
        _cell = new AlignedBuffer<int>(PaddedHidden);
        _output = new AlignedBuffer<int>(PaddedHidden);
    }

    /// <summary>The output gate o of each unit, from the first pass to the second.</summary>
    private readonly AlignedBuffer<int> _output;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Gates()
    {
        int n = PaddedHidden, lanes = TW.Count;
        ref int pre = ref Pre.Start;
        ref int cell = ref _cell.Start;
        ref short h = ref MemoryMarshal.GetArrayDataReference(PaddedState);
        ref int table = ref VectorActivation.Start;
        ref int output = ref _output.Start;
        for (int j = 0; j < n; j += lanes)
        {
            TV i = VectorActivation<TV, TW>.Sigmoid(Load(ref pre, j), ref table);
            TV f = VectorActivation<TV, TW>.Sigmoid(Load(ref pre, j + n), ref table);
            TV g = VectorActivation<TV, TW>.Tanh(Load(ref pre, j + 2 * n), ref table);
            TW.Store(VectorActivation<TV, TW>.Sigmoid(Load(ref pre, j + 3 * n), ref table), ref output, (nuint)j);
            // c = (f·c + ((i·g) >> 4) + 2^14) >> 15, saturated to int16.
            TV product = TW.Add(TW.Multiply(f, TW.Load(ref cell, (nuint)j)), TW.ShiftRightArithmetic(TW.Multiply(i, g), 4));
            TV c = TW.ShiftRightArithmetic(TW.Add(product, TW.Create(1 << 14)), 15);
            c = TW.Min(TW.Max(c, TW.Create(-32768)), TW.Create(32767));
            TW.Store(c, ref cell, (nuint)j);
        }
        for (int j = 0; j < n; j += lanes)
        {
            TV c = TW.Load(ref cell, (nuint)j);
            TW.StoreNarrowed(MulQ15(TW.Load(ref output, (nuint)j), VectorActivation<TV, TW>.Tanh(TW.ShiftLeft(c, 1), ref table)), ref h, (nuint)j);
        }
    }

    public override void Reset()
    {
        base.Reset();
        _cell.Span.Clear();
    }
}

/// <summary>
/// <see cref="GruLayer"/>'s gates, in two passes as <see cref="VectorLstmLayer{TV, TW}"/>'s: r, z and the candidate's
/// argument (which needs r), then its tanh and the blend (GRU H = 32 step about 10 ns faster than one loop).
/// </summary>
internal sealed class VectorGruLayer<TV, TW> : VectorRecurrentLayer<TV, TW>
    where TV : struct
    where TW : struct, IVectorWidth<TV>
{
    public VectorGruLayer(RecurrentLayerParameters parameters, int hidden)
        : base(parameters, hidden, separateGroups: 1)
    {
        _update = new AlignedBuffer<int>(PaddedHidden);
        _candidate = new AlignedBuffer<int>(PaddedHidden);
    }

    /// <summary>z and the candidate's argument (input part + r-gated recurrent part) of each unit, from the first pass to the second.</summary>
    private readonly AlignedBuffer<int> _update, _candidate;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Gates()
    {
        int n = PaddedHidden, lanes = TW.Count;
        ref int pre = ref Pre.Start, preRecurrent = ref PreRecurrent.Start;
        ref short h = ref MemoryMarshal.GetArrayDataReference(PaddedState);
        ref int table = ref VectorActivation.Start;
        ref int update = ref _update.Start, candidate = ref _candidate.Start;
        for (int j = 0; j < n; j += lanes)
        {
            TV r = VectorActivation<TV, TW>.Sigmoid(Load(ref pre, j), ref table);
            TW.Store(VectorActivation<TV, TW>.Sigmoid(Load(ref pre, j + n), ref table), ref update, (nuint)j);
            // (r·hn + 2^14) >> 15 needs 44 bits; with hn = 2^15·high + low it is r·high + ((r·low + 2^14) >> 15).
            TV hn = Load(ref preRecurrent, j + 2 * n);
            TV gated = TW.Add(TW.Multiply(r, TW.ShiftRightArithmetic(hn, 15)), MulQ15(r, TW.And(hn, TW.Create(0x7FFF))));
            TW.Store(TW.Add(Load(ref pre, j + 2 * n), gated), ref candidate, (nuint)j);
        }
        for (int j = 0; j < n; j += lanes)
        {
            TV c = VectorActivation<TV, TW>.Tanh(TW.Load(ref candidate, (nuint)j), ref table);
            TV previous = TW.LoadWidened(ref h, (nuint)j);
            TW.StoreNarrowed(TW.Add(c, MulQ15(TW.Load(ref update, (nuint)j), TW.Subtract(previous, c))), ref h, (nuint)j);
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
        ref int pre = ref Pre.Start;
        ref short h = ref MemoryMarshal.GetArrayDataReference(PaddedState);
        for (int j = 0; j < n; j += lanes) TW.StoreNarrowed(VectorActivation<TV, TW>.Tanh(Load(ref pre, j)), ref h, (nuint)j);
    }
}
