using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// Both matrix products of a recurrent layer step on AVX-512: the exact row sums of W_ih x and W_hh h
/// in one pass over the gate rows, then each requantised with its own bias per block of 16 rows
/// (<see cref="BlockRequantiser"/>) and summed into one Q12 pre-activation per row. Gate groups are padded to whole multiples of 32 rows
/// so the gates can work on 32 units at once; padded rows have zero weights, scale and bias.
/// Weights are stored row-interleaved (a block's 16 rows × 2 columns per vector, as
/// <see cref="InterleavedWeights"/>), grouped so that one broadcast input pair serves up to 8 blocks
/// (<see cref="Groups"/>). int8 weights are widened to int16 at load when the layer is small enough to stay
/// in L1 (<see cref="WideInt8Bytes"/>), else kept one byte each and sign-extended on load (the loop is then
/// bound by the bytes it streams); int16 weights meet the split input (<see cref="InputPairs"/>).
/// When int8 rows come in whole groups of 8 blocks and requantise in int32, each group's sums are
/// requantised in registers as they complete (<see cref="ScaledProducts"/>); otherwise the sums go
/// through buffers and a second pass (<see cref="Requantise"/>).
/// </summary>
internal sealed class GateProducts
{
    public const int Lanes = 16;
    /// <summary>Units per gate chunk: gate groups are padded to a multiple of this.</summary>
    public const int Chunk = 32;

    /// <summary>
    /// int8 weights up to this many bytes once widened to int16 are stored widened: a layer that small stays
    /// in L1, where the sign extension on every load costs more than the doubled bytes (LSTM H = 32 int8 step
    /// 120-150 → 104-110 ns, BENCHMARKS.md); beyond L1 the bytes streamed decide, and the byte form is faster (in a
    /// scratch test H = 64 was level and H = 128 1.3-1.5× slower widened).
    /// </summary>
    public const int WideInt8Bytes = 16 * 1024;

    // Weights and every buffer a vector is loaded from or stored to are 64-byte aligned (AlignedBuffer).
    // int16 weights, or int8 weights widened at load (small layers, see WideInt8Bytes); else one byte each.
    private readonly AlignedBuffer<short>? _weights;
    private readonly AlignedBuffer<sbyte>? _weights8;
    private readonly int _pairsX, _pairsH, _separateFrom;
    /// <summary>Blocks per group, in order: the rows of a group share each input broadcast.</summary>
    private readonly int[] _groups;
    private readonly bool _split;
    private readonly InputPairs _x, _h;
    private readonly bool _xDirect, _hDirect;
    private readonly BlockRequantiser _scaleX, _scaleH;
    /// <summary>int8 weights, int32 requantisation and groups of 8 blocks only: products and requantisation in one pass.</summary>
    private readonly bool _scaledGroups;
    // Exact row sums of the last products (int16 weights: against the low parts, and the high parts apart).
    private readonly AlignedBuffer<int> _sumsX, _sumsH, _zeros;
    private readonly AlignedBuffer<int>? _highsX, _highsH;

    /// <param name="separateGroups">Trailing gate groups whose input and recurrent parts stay apart (GRU's n gate).</param>
    public GateProducts(RecurrentLayerParameters parameters, int hidden, int separateGroups)
    {
        QuantizedMatrix wx = parameters.Input, wh = parameters.Recurrent;
        Hidden = hidden;
        PaddedHidden = (hidden + Chunk - 1) / Chunk * Chunk;
        int gates = wx.Rows / hidden;
        int paddedRows = gates * PaddedHidden;
        int blocks = paddedRows / Lanes;
        _separateFrom = (gates - separateGroups) * PaddedHidden / Lanes;
        _split = wx.Weights16 != null;
        _groups = Groups(blocks, 8);
        _pairsX = (wx.Cols + 1) / 2;
        _pairsH = (wh.Cols + 1) / 2;
        const int vectorShorts = Lanes * 2;
        var weights = new short[blocks * (_pairsX + _pairsH) * vectorShorts];
        // Group of width k from block b0: the input part, pair by pair, k blocks per pair, then the recurrent part.
        int first = 0, offset = 0;
        foreach (int width in _groups)
        {
            for (int i = 0; i < width; i++)
            {
                for (int lane = 0; lane < Lanes; lane++)
                {
                    int padded = (first + i) * Lanes + lane;
                    int r = padded / PaddedHidden * hidden + padded % PaddedHidden;
                    if (padded % PaddedHidden >= hidden) continue;
                    for (int c = 0; c < wx.Cols; c++) weights[offset + ((c / 2 * width + i) * Lanes + lane) * 2 + (c & 1)] = (short)wx.Weight(r, c);
                    int h0 = offset + _pairsX * width * vectorShorts;
                    for (int c = 0; c < wh.Cols; c++) weights[h0 + ((c / 2 * width + i) * Lanes + lane) * 2 + (c & 1)] = (short)wh.Weight(r, c);
                }
            }
            first += width;
            offset += width * (_pairsX + _pairsH) * vectorShorts;
        }
        if (_split || weights.Length * sizeof(short) <= WideInt8Bytes)
        {
            _weights = new AlignedBuffer<short>(weights.Length);
            weights.CopyTo(_weights.Span);
        }
        else
        {
            // Larger int8 layers keep one byte per weight (sign-extended on load): half the bytes to stream.
            _weights8 = new AlignedBuffer<sbyte>(weights.Length);
            for (int i = 0; i < weights.Length; i++) _weights8[i] = (sbyte)weights[i];
        }
        _x = new InputPairs(wx.Cols, _split);
        _h = new InputPairs(wh.Cols, _split);
        // int8 weights need no input split; an even-length input can then be read in place as pairs.
        _xDirect = !_split && wx.Cols % 2 == 0;
        _hDirect = !_split && wh.Cols % 2 == 0;
        _scaleX = new BlockRequantiser(wx, parameters.InputBias, paddedRows, PaddedRow, allowInt32: !_split);
        _scaleH = new BlockRequantiser(wh, parameters.RecurrentBias, paddedRows, PaddedRow, allowInt32: !_split);
        _scaledGroups = !_split && _scaleX.Int32 && _scaleH.Int32 && Array.TrueForAll(_groups, width => width == 8);
        Pre = new AlignedBuffer<int>(paddedRows);
        PreRecurrent = new AlignedBuffer<int>(paddedRows);
        _sumsX = new AlignedBuffer<int>(paddedRows);
        _sumsH = new AlignedBuffer<int>(paddedRows);
        _zeros = new AlignedBuffer<int>(_split ? 0 : paddedRows);
        if (_split)
        {
            _highsX = new AlignedBuffer<int>(paddedRows);
            _highsH = new AlignedBuffer<int>(paddedRows);
        }
    }

    /// <summary>Group widths over all blocks (an even count): as many of <paramref name="widest"/> as fit, then 4, then 2.</summary>
    private static int[] Groups(int blocks, int widest)
    {
        var widths = new List<int>();
        int b = 0;
        for (; b + widest <= blocks; b += widest) widths.Add(widest);
        for (; b + 4 <= blocks; b += 4) widths.Add(4);
        for (; b < blocks; b += 2) widths.Add(2);
        return widths.ToArray();
    }

    public int Hidden { get; }
    public int PaddedHidden { get; }

    /// <summary>Q12 pre-activations W_ih x + b_ih + W_hh h + b_hh, gate g of unit j at g·PaddedHidden + j; the input part alone in separate groups.</summary>
    public AlignedBuffer<int> Pre { get; }

    /// <summary>W_hh h + b_hh of the separate groups (same indices as <see cref="Pre"/>).</summary>
    public AlignedBuffer<int> PreRecurrent { get; }

    private int PaddedRow(int r) => r / Hidden * PaddedHidden + r % Hidden;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(short[] input, short[] state)
    {
        if (_split)
        {
            SplitProducts(input, state);
        }
        else if (_weights8 == null)
        {
            // int8 weights held widened.
            ref byte w = ref Unsafe.As<short, byte>(ref _weights!.Start);
            if (_scaledGroups)
            {
                ScaledProducts<Int16Weights>(ref w, input, state);
                return;
            }
            Products<Int16Weights>(ref w, input, state);
        }
        else
        {
            ref byte w = ref Unsafe.As<sbyte, byte>(ref _weights8.Start);
            if (_scaledGroups)
            {
                ScaledProducts<Int8Weights>(ref w, input, state);
                return;
            }
            Products<Int8Weights>(ref w, input, state);
        }
        Requantise();
    }

    /// <summary>int8 weights: exact row sums of both products into the sum buffers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Products<TWeights>(ref byte w, short[] input, short[] state)
        where TWeights : struct, IWeightVectors
    {
        ref int sumsX = ref _sumsX.Start;
        ref int sumsH = ref _sumsH.Start;
        ref int x = ref Pairs(input, _x, _xDirect);
        ref int h = ref Pairs(state, _h, _hDirect);
        int pairsX = _pairsX, pairsH = _pairsH, vectorBytes = TWeights.VectorBytes;
        int[] groups = _groups;
        int row = 0;
        for (int g = 0; g < groups.Length; g++)
        {
            int width = groups[g];
            if (width == 8)
            {
                Group8<TWeights>(ref w, pairsX, ref x, ref Unsafe.Add(ref sumsX, row));
                Group8<TWeights>(ref Unsafe.Add(ref w, pairsX * 8 * vectorBytes), pairsH, ref h, ref Unsafe.Add(ref sumsH, row));
            }
            else if (width == 4)
            {
                Group4<TWeights>(ref w, pairsX, ref x, ref Unsafe.Add(ref sumsX, row));
                Group4<TWeights>(ref Unsafe.Add(ref w, pairsX * 4 * vectorBytes), pairsH, ref h, ref Unsafe.Add(ref sumsH, row));
            }
            else
            {
                Group2<TWeights>(ref w, pairsX, ref x, ref Unsafe.Add(ref sumsX, row));
                Group2<TWeights>(ref Unsafe.Add(ref w, pairsX * 2 * vectorBytes), pairsH, ref h, ref Unsafe.Add(ref sumsH, row));
            }
            w = ref Unsafe.Add(ref w, width * (pairsX + pairsH) * vectorBytes);
            row += width * Lanes;
        }
    }

    /// <summary>
    /// int8 weights in groups of 8 blocks, int32 requantisation: each group's row sums are requantised while
    /// still in registers, and only the pre-activations are stored (no sum buffers, no second pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScaledProducts<TWeights>(ref byte w, short[] input, short[] state)
        where TWeights : struct, IWeightVectors
    {
        ref int x = ref Pairs(input, _x, _xDirect);
        ref int h = ref Pairs(state, _h, _hDirect);
        ref int px = ref _scaleX.Block32(0), ph = ref _scaleH.Block32(0);
        ref int pre = ref Pre.Start, preRecurrent = ref PreRecurrent.Start;
        bool clampX = _scaleX.Clamp, clampH = _scaleH.Clamp;
        int pairsX = _pairsX, pairsH = _pairsH, groups = _groups.Length;
        for (int g = 0; g < groups; g++)
        {
            int block = g * 8;
            Group8Scaled<TWeights>(ref w, pairsX, ref x, pairsH, ref h, ref Unsafe.Add(ref px, block * BlockRequantiser.Block32Step), ref Unsafe.Add(ref ph, block * BlockRequantiser.Block32Step),
                clampX, clampH, ref Unsafe.Add(ref pre, block * Lanes), ref Unsafe.Add(ref preRecurrent, block * Lanes), _separateFrom - block);
            w = ref Unsafe.Add(ref w, 8 * (pairsX + pairsH) * TWeights.VectorBytes);
        }
    }

    /// <summary>int16 weights: the row sums against the low and the high parts of the split inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitProducts(short[] input, short[] state)
    {
        _x.Load(input);
        _h.Load(state);
        ref short w = ref _weights!.Start;
        ref int xl = ref InputPairs.PairsOf(_x.Low), xh = ref InputPairs.PairsOf(_x.High!);
        ref int hl = ref InputPairs.PairsOf(_h.Low), hh = ref InputPairs.PairsOf(_h.High!);
        ref int sumsX = ref _sumsX.Start, highsX = ref _highsX!.Start;
        ref int sumsH = ref _sumsH.Start, highsH = ref _highsH!.Start;
        int pairsX = _pairsX, pairsH = _pairsH;
        int[] groups = _groups;
        int row = 0;
        for (int g = 0; g < groups.Length; g++)
        {
            int width = groups[g];
            if (width == 8)
            {
                Split8(ref w, pairsX, ref xl, ref xh, ref Unsafe.Add(ref sumsX, row), ref Unsafe.Add(ref highsX, row));
                Split8(ref Unsafe.Add(ref w, pairsX * 8 * 32), pairsH, ref hl, ref hh, ref Unsafe.Add(ref sumsH, row), ref Unsafe.Add(ref highsH, row));
            }
            else if (width == 4)
            {
                Split4(ref w, pairsX, ref xl, ref xh, ref Unsafe.Add(ref sumsX, row), ref Unsafe.Add(ref highsX, row));
                Split4(ref Unsafe.Add(ref w, pairsX * 4 * 32), pairsH, ref hl, ref hh, ref Unsafe.Add(ref sumsH, row), ref Unsafe.Add(ref highsH, row));
            }
            else
            {
                Split2(ref w, pairsX, ref xl, ref xh, ref Unsafe.Add(ref sumsX, row), ref Unsafe.Add(ref highsX, row));
                Split2(ref Unsafe.Add(ref w, pairsX * 2 * 32), pairsH, ref hl, ref hh, ref Unsafe.Add(ref sumsH, row), ref Unsafe.Add(ref highsH, row));
            }
            w = ref Unsafe.Add(ref w, width * (pairsX + pairsH) * 32);
            row += width * Lanes;
        }
    }

    /// <summary>Pre (and PreRecurrent for the separate gates) from the sums, block by block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Requantise()
    {
        int rows = _sumsX.Length, separate = _separateFrom * Lanes;
        ref int pre = ref Pre.Start;
        ref int preRecurrent = ref PreRecurrent.Start;
        ref int sumsX = ref _sumsX.Start;
        ref int sumsH = ref _sumsH.Start;
        BlockRequantiser scaleX = _scaleX, scaleH = _scaleH;
        if (!_split && scaleX.Int32 && scaleH.Int32)
        {
            // Each block's 64 parameters follow the previous block's: two refs walk them, no field reads.
            ref int px = ref scaleX.Block32(0), ph = ref scaleH.Block32(0);
            bool clampX = scaleX.Clamp, clampH = scaleH.Clamp;
            int r = 0;
            for (; r < separate; r += Lanes)
            {
                (BlockRequantiser.Scale32(Vector512.LoadUnsafe(ref sumsX, (nuint)r), ref px, clampX)
                    + BlockRequantiser.Scale32(Vector512.LoadUnsafe(ref sumsH, (nuint)r), ref ph, clampH)).StoreUnsafe(ref pre, (nuint)r);
                px = ref Unsafe.Add(ref px, BlockRequantiser.Block32Step);
                ph = ref Unsafe.Add(ref ph, BlockRequantiser.Block32Step);
            }
            for (; r < rows; r += Lanes)
            {
                BlockRequantiser.Scale32(Vector512.LoadUnsafe(ref sumsX, (nuint)r), ref px, clampX).StoreUnsafe(ref pre, (nuint)r);
                BlockRequantiser.Scale32(Vector512.LoadUnsafe(ref sumsH, (nuint)r), ref ph, clampH).StoreUnsafe(ref preRecurrent, (nuint)r);
                px = ref Unsafe.Add(ref px, BlockRequantiser.Block32Step);
                ph = ref Unsafe.Add(ref ph, BlockRequantiser.Block32Step);
            }
            return;
        }
        // 64-bit lanes; with int8 weights there are no high sums (zeros).
        bool split = _split;
        ref int highsX = ref (_highsX ?? _zeros).Start;
        ref int highsH = ref (_highsH ?? _zeros).Start;
        ref long qx = ref scaleX.Block64(0), qh = ref scaleH.Block64(0);
        bool clampX64 = scaleX.Clamp, clampH64 = scaleH.Clamp;
        for (int r = 0; r < rows; r += Lanes)
        {
            Vector512<int> vx = BlockRequantiser.Scale64(Vector512.LoadUnsafe(ref sumsX, (nuint)r), Vector512.LoadUnsafe(ref highsX, (nuint)r), split, ref qx, clampX64);
            Vector512<int> vh = BlockRequantiser.Scale64(Vector512.LoadUnsafe(ref sumsH, (nuint)r), Vector512.LoadUnsafe(ref highsH, (nuint)r), split, ref qh, clampH64);
            qx = ref Unsafe.Add(ref qx, BlockRequantiser.Block64Step);
            qh = ref Unsafe.Add(ref qh, BlockRequantiser.Block64Step);
            if (r < separate)
            {
                (vx + vh).StoreUnsafe(ref pre, (nuint)r);
            }
            else
            {
                vx.StoreUnsafe(ref pre, (nuint)r);
                vh.StoreUnsafe(ref preRecurrent, (nuint)r);
            }
        }
    }

    /// <summary>The input as int16 pairs: in place when it can be, else through the zero-padded copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref int Pairs(short[] values, InputPairs copy, bool direct)
    {
        // In place only when the array holds every column (a short one fails in the copy, as in the portable kernel).
        if (direct && values.Length >= copy.Cols) return ref InputPairs.PairsOf(values);
        copy.Load(values);
        return ref InputPairs.PairsOf(copy.Low);
    }

    /// <summary>How a vector of 32 int8 weights is stored, and its load as int16 lanes (a struct type argument, so each form compiles to its own loop).</summary>
    private interface IWeightVectors
    {
        static abstract int VectorBytes { get; }

        /// <summary>The <paramref name="index"/>-th vector of 32 weights from <paramref name="w"/>, as int16.</summary>
        static abstract Vector512<short> Load(ref byte w, int index);
    }

    /// <summary>One byte per weight, sign-extended on load.</summary>
    private struct Int8Weights : IWeightVectors
    {
        public static int VectorBytes => 32;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<short> Load(ref byte w, int index) =>
            Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref w), (nuint)(index * 32)));
    }

    /// <summary>Widened to int16 at load.</summary>
    private struct Int16Weights : IWeightVectors
    {
        public static int VectorBytes => 64;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<short> Load(ref byte w, int index) =>
            Vector512.LoadUnsafe(ref Unsafe.As<byte, short>(ref w), (nuint)(index * 32));
    }

    // The kernels below: one broadcast input pair serves every block of the group (one pmaddwd and one
    // add per block and pair); the loops walk refs forward, with no index arithmetic per load.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Group8<TWeights>(ref byte w, int pairs, ref int x, ref int sums)
        where TWeights : struct, IWeightVectors
    {
        Accumulate8<TWeights>(ref w, pairs, ref x, out var a0, out var a1, out var a2, out var a3, out var a4, out var a5, out var a6, out var a7);
        a0.StoreUnsafe(ref sums, 0);
        a1.StoreUnsafe(ref sums, 16);
        a2.StoreUnsafe(ref sums, 32);
        a3.StoreUnsafe(ref sums, 48);
        a4.StoreUnsafe(ref sums, 64);
        a5.StoreUnsafe(ref sums, 80);
        a6.StoreUnsafe(ref sums, 96);
        a7.StoreUnsafe(ref sums, 112);
    }

    /// <summary>
    /// One group of 8 blocks with both products requantised in registers: the input part's sums are
    /// scaled as soon as they are complete, then the recurrent part's, and each block stores
    /// Pre = both (the first <paramref name="summedBlocks"/> blocks) or each part apart (separate gates).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Group8Scaled<TWeights>(ref byte w, int pairsX, ref int x, int pairsH, ref int h, ref int px, ref int ph,
        bool clampX, bool clampH, ref int pre, ref int preRecurrent, int summedBlocks)
        where TWeights : struct, IWeightVectors
    {
        const int next = BlockRequantiser.Block32Step;
        Accumulate8<TWeights>(ref w, pairsX, ref x, out var a0, out var a1, out var a2, out var a3, out var a4, out var a5, out var a6, out var a7);
        Vector512<int> s0 = BlockRequantiser.Scale32(a0, ref px, clampX);
        Vector512<int> s1 = BlockRequantiser.Scale32(a1, ref Unsafe.Add(ref px, next), clampX);
        Vector512<int> s2 = BlockRequantiser.Scale32(a2, ref Unsafe.Add(ref px, 2 * next), clampX);
        Vector512<int> s3 = BlockRequantiser.Scale32(a3, ref Unsafe.Add(ref px, 3 * next), clampX);
        Vector512<int> s4 = BlockRequantiser.Scale32(a4, ref Unsafe.Add(ref px, 4 * next), clampX);
        Vector512<int> s5 = BlockRequantiser.Scale32(a5, ref Unsafe.Add(ref px, 5 * next), clampX);
        Vector512<int> s6 = BlockRequantiser.Scale32(a6, ref Unsafe.Add(ref px, 6 * next), clampX);
        Vector512<int> s7 = BlockRequantiser.Scale32(a7, ref Unsafe.Add(ref px, 7 * next), clampX);
        Accumulate8<TWeights>(ref Unsafe.Add(ref w, pairsX * 8 * TWeights.VectorBytes), pairsH, ref h, out a0, out a1, out a2, out a3, out a4, out a5, out a6, out a7);
        StoreScaled(s0, a0, ref ph, clampH, ref pre, ref preRecurrent, 0, summedBlocks);
        StoreScaled(s1, a1, ref ph, clampH, ref pre, ref preRecurrent, 1, summedBlocks);
        StoreScaled(s2, a2, ref ph, clampH, ref pre, ref preRecurrent, 2, summedBlocks);
        StoreScaled(s3, a3, ref ph, clampH, ref pre, ref preRecurrent, 3, summedBlocks);
        StoreScaled(s4, a4, ref ph, clampH, ref pre, ref preRecurrent, 4, summedBlocks);
        StoreScaled(s5, a5, ref ph, clampH, ref pre, ref preRecurrent, 5, summedBlocks);
        StoreScaled(s6, a6, ref ph, clampH, ref pre, ref preRecurrent, 6, summedBlocks);
        StoreScaled(s7, a7, ref ph, clampH, ref pre, ref preRecurrent, 7, summedBlocks);
    }

    /// <summary>Block i of a scaled group: its recurrent sums scaled, added to the input part or stored apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreScaled(Vector512<int> scaledX, Vector512<int> sumsH, ref int ph, bool clampH, ref int pre, ref int preRecurrent, int i, int summedBlocks)
    {
        Vector512<int> scaledH = BlockRequantiser.Scale32(sumsH, ref Unsafe.Add(ref ph, i * BlockRequantiser.Block32Step), clampH);
        if (i < summedBlocks)
        {
            (scaledX + scaledH).StoreUnsafe(ref pre, (nuint)(i * Lanes));
        }
        else
        {
            scaledX.StoreUnsafe(ref pre, (nuint)(i * Lanes));
            scaledH.StoreUnsafe(ref preRecurrent, (nuint)(i * Lanes));
        }
    }

    /// <summary>The row sums of 8 blocks over <paramref name="pairs"/> input pairs, in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate8<TWeights>(ref byte w, int pairs, ref int x,
        out Vector512<int> a0, out Vector512<int> a1, out Vector512<int> a2, out Vector512<int> a3,
        out Vector512<int> a4, out Vector512<int> a5, out Vector512<int> a6, out Vector512<int> a7)
        where TWeights : struct, IWeightVectors
    {
        a0 = Vector512<int>.Zero; a1 = a0; a2 = a0; a3 = a0; a4 = a0; a5 = a0; a6 = a0; a7 = a0;
        ref int end = ref Unsafe.Add(ref x, pairs);
        while (Unsafe.IsAddressLessThan(ref x, ref end))
        {
            Vector512<short> v = Vector512.Create(x).AsInt16();
            a0 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 0), v);
            a1 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 1), v);
            a2 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 2), v);
            a3 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 3), v);
            a4 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 4), v);
            a5 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 5), v);
            a6 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 6), v);
            a7 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 7), v);
            w = ref Unsafe.Add(ref w, 8 * TWeights.VectorBytes);
            x = ref Unsafe.Add(ref x, 1);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Group4<TWeights>(ref byte w, int pairs, ref int x, ref int sums)
        where TWeights : struct, IWeightVectors
    {
        Vector512<int> a0 = Vector512<int>.Zero, a1 = a0, a2 = a0, a3 = a0;
        ref int end = ref Unsafe.Add(ref x, pairs);
        while (Unsafe.IsAddressLessThan(ref x, ref end))
        {
            Vector512<short> v = Vector512.Create(x).AsInt16();
            a0 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 0), v);
            a1 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 1), v);
            a2 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 2), v);
            a3 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 3), v);
            w = ref Unsafe.Add(ref w, 4 * TWeights.VectorBytes);
            x = ref Unsafe.Add(ref x, 1);
        }
        a0.StoreUnsafe(ref sums, 0);
        a1.StoreUnsafe(ref sums, 16);
        a2.StoreUnsafe(ref sums, 32);
        a3.StoreUnsafe(ref sums, 48);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Group2<TWeights>(ref byte w, int pairs, ref int x, ref int sums)
        where TWeights : struct, IWeightVectors
    {
        Vector512<int> a0 = Vector512<int>.Zero, a1 = a0, c0 = a0, c1 = a0;
        ref int end2 = ref Unsafe.Add(ref x, pairs & ~1);
        ref int end = ref Unsafe.Add(ref x, pairs);
        // Two pairs per iteration into two accumulator sets, so the add chains run in parallel.
        while (Unsafe.IsAddressLessThan(ref x, ref end2))
        {
            Vector512<short> v = Vector512.Create(x).AsInt16();
            Vector512<short> u = Vector512.Create(Unsafe.Add(ref x, 1)).AsInt16();
            a0 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 0), v);
            a1 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 1), v);
            c0 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 2), u);
            c1 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 3), u);
            w = ref Unsafe.Add(ref w, 4 * TWeights.VectorBytes);
            x = ref Unsafe.Add(ref x, 2);
        }
        if (Unsafe.IsAddressLessThan(ref x, ref end))
        {
            Vector512<short> v = Vector512.Create(x).AsInt16();
            a0 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 0), v);
            a1 += Avx512BW.MultiplyAddAdjacent(TWeights.Load(ref w, 1), v);
        }
        (a0 + c0).StoreUnsafe(ref sums, 0);
        (a1 + c1).StoreUnsafe(ref sums, 16);
    }

    /// <summary>int16 weights: each weight vector meets the low and the high parts of the split input.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Split8(ref short w, int pairs, ref int xLow, ref int xHigh, ref int sums, ref int highs)
    {
        Vector512<int> l0 = Vector512<int>.Zero, l1 = l0, l2 = l0, l3 = l0, l4 = l0, l5 = l0, l6 = l0, l7 = l0;
        Vector512<int> h0 = l0, h1 = l0, h2 = l0, h3 = l0, h4 = l0, h5 = l0, h6 = l0, h7 = l0;
        ref int end = ref Unsafe.Add(ref xLow, pairs);
        while (Unsafe.IsAddressLessThan(ref xLow, ref end))
        {
            Vector512<short> vl = Vector512.Create(xLow).AsInt16();
            Vector512<short> vh = Vector512.Create(xHigh).AsInt16();
            Vector512<short> w0 = Vector512.LoadUnsafe(ref w), w1 = Vector512.LoadUnsafe(ref w, 32);
            Vector512<short> w2 = Vector512.LoadUnsafe(ref w, 64), w3 = Vector512.LoadUnsafe(ref w, 96);
            Vector512<short> w4 = Vector512.LoadUnsafe(ref w, 128), w5 = Vector512.LoadUnsafe(ref w, 160);
            Vector512<short> w6 = Vector512.LoadUnsafe(ref w, 192), w7 = Vector512.LoadUnsafe(ref w, 224);
            l0 += Avx512BW.MultiplyAddAdjacent(w0, vl);
            h0 += Avx512BW.MultiplyAddAdjacent(w0, vh);
            l1 += Avx512BW.MultiplyAddAdjacent(w1, vl);
            h1 += Avx512BW.MultiplyAddAdjacent(w1, vh);
            l2 += Avx512BW.MultiplyAddAdjacent(w2, vl);
            h2 += Avx512BW.MultiplyAddAdjacent(w2, vh);
            l3 += Avx512BW.MultiplyAddAdjacent(w3, vl);
            h3 += Avx512BW.MultiplyAddAdjacent(w3, vh);
            l4 += Avx512BW.MultiplyAddAdjacent(w4, vl);
            h4 += Avx512BW.MultiplyAddAdjacent(w4, vh);
            l5 += Avx512BW.MultiplyAddAdjacent(w5, vl);
            h5 += Avx512BW.MultiplyAddAdjacent(w5, vh);
            l6 += Avx512BW.MultiplyAddAdjacent(w6, vl);
            h6 += Avx512BW.MultiplyAddAdjacent(w6, vh);
            l7 += Avx512BW.MultiplyAddAdjacent(w7, vl);
            h7 += Avx512BW.MultiplyAddAdjacent(w7, vh);
            w = ref Unsafe.Add(ref w, 256);
            xLow = ref Unsafe.Add(ref xLow, 1);
            xHigh = ref Unsafe.Add(ref xHigh, 1);
        }
        l0.StoreUnsafe(ref sums, 0);
        h0.StoreUnsafe(ref highs, 0);
        l1.StoreUnsafe(ref sums, 16);
        h1.StoreUnsafe(ref highs, 16);
        l2.StoreUnsafe(ref sums, 32);
        h2.StoreUnsafe(ref highs, 32);
        l3.StoreUnsafe(ref sums, 48);
        h3.StoreUnsafe(ref highs, 48);
        l4.StoreUnsafe(ref sums, 64);
        h4.StoreUnsafe(ref highs, 64);
        l5.StoreUnsafe(ref sums, 80);
        h5.StoreUnsafe(ref highs, 80);
        l6.StoreUnsafe(ref sums, 96);
        h6.StoreUnsafe(ref highs, 96);
        l7.StoreUnsafe(ref sums, 112);
        h7.StoreUnsafe(ref highs, 112);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Split4(ref short w, int pairs, ref int xLow, ref int xHigh, ref int sums, ref int highs)
    {
        Vector512<int> l0 = Vector512<int>.Zero, l1 = l0, l2 = l0, l3 = l0, h0 = l0, h1 = l0, h2 = l0, h3 = l0;
        ref int end = ref Unsafe.Add(ref xLow, pairs);
        while (Unsafe.IsAddressLessThan(ref xLow, ref end))
        {
            Vector512<short> vl = Vector512.Create(xLow).AsInt16();
            Vector512<short> vh = Vector512.Create(xHigh).AsInt16();
            Vector512<short> w0 = Vector512.LoadUnsafe(ref w), w1 = Vector512.LoadUnsafe(ref w, 32);
            Vector512<short> w2 = Vector512.LoadUnsafe(ref w, 64), w3 = Vector512.LoadUnsafe(ref w, 96);
            l0 += Avx512BW.MultiplyAddAdjacent(w0, vl);
            h0 += Avx512BW.MultiplyAddAdjacent(w0, vh);
            l1 += Avx512BW.MultiplyAddAdjacent(w1, vl);
            h1 += Avx512BW.MultiplyAddAdjacent(w1, vh);
            l2 += Avx512BW.MultiplyAddAdjacent(w2, vl);
            h2 += Avx512BW.MultiplyAddAdjacent(w2, vh);
            l3 += Avx512BW.MultiplyAddAdjacent(w3, vl);
            h3 += Avx512BW.MultiplyAddAdjacent(w3, vh);
            w = ref Unsafe.Add(ref w, 128);
            xLow = ref Unsafe.Add(ref xLow, 1);
            xHigh = ref Unsafe.Add(ref xHigh, 1);
        }
        l0.StoreUnsafe(ref sums, 0);
        h0.StoreUnsafe(ref highs, 0);
        l1.StoreUnsafe(ref sums, 16);
        h1.StoreUnsafe(ref highs, 16);
        l2.StoreUnsafe(ref sums, 32);
        h2.StoreUnsafe(ref highs, 32);
        l3.StoreUnsafe(ref sums, 48);
        h3.StoreUnsafe(ref highs, 48);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Split2(ref short w, int pairs, ref int xLow, ref int xHigh, ref int sums, ref int highs)
    {
        Vector512<int> l0 = Vector512<int>.Zero, l1 = l0, h0 = l0, h1 = l0;
        ref int end = ref Unsafe.Add(ref xLow, pairs);
        while (Unsafe.IsAddressLessThan(ref xLow, ref end))
        {
            Vector512<short> vl = Vector512.Create(xLow).AsInt16();
            Vector512<short> vh = Vector512.Create(xHigh).AsInt16();
            Vector512<short> w0 = Vector512.LoadUnsafe(ref w), w1 = Vector512.LoadUnsafe(ref w, 32);
            l0 += Avx512BW.MultiplyAddAdjacent(w0, vl);
            h0 += Avx512BW.MultiplyAddAdjacent(w0, vh);
            l1 += Avx512BW.MultiplyAddAdjacent(w1, vl);
            h1 += Avx512BW.MultiplyAddAdjacent(w1, vh);
            w = ref Unsafe.Add(ref w, 64);
            xLow = ref Unsafe.Add(ref xLow, 1);
            xHigh = ref Unsafe.Add(ref xHigh, 1);
        }
        l0.StoreUnsafe(ref sums, 0);
        h0.StoreUnsafe(ref highs, 0);
        l1.StoreUnsafe(ref sums, 16);
        h1.StoreUnsafe(ref highs, 16);
    }
}
