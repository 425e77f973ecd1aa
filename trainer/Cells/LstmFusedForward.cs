using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Cells;

/// <summary>
/// One LSTM forward step as a single pass: the product [x_t | h_{t-1}]·[W_ih | W_hh]ᵀ + bias for a tile of 4 batch rows ×
/// one vector of hidden units in all four gates stays in registers, and the gate non-linearities, c_t, tanh(c_t) and h_t
/// are formed from those registers before anything is stored. The pre-activations never travel through memory, and
/// the separate sigmoid, cell-update, tanh and output passes of the general path disappear.
/// The weights come packed (see <see cref="Pack{T}"/>) so one vector chunk of hidden units has its i, f, g, o
/// columns side by side; the g columns are doubled (tanh(a) = 2·σ(2a) - 1, as in <see cref="LstmCell{T}"/>).
/// Outputs use the general path's layouts (gate-major activations, tanh(c) in aux), so backward is shared.
/// </summary>
internal static class LstmFusedForward
{
    /// <summary>Whole vectors of hidden units on 512- or 256-bit vectors: the shapes this pass serves.</summary>
    public static bool Supports<T>(int hidden) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) || typeof(T) == typeof(double)
            ? Vector512.IsHardwareAccelerated ? hidden % Vector512<T>.Count == 0 : Vector256.IsHardwareAccelerated && hidden % Vector256<T>.Count == 0
            : false;

    private static int VectorCount<T>() where T : unmanaged => Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256<T>.Count;

    /// <summary>
    /// Packs the transposed weights wihT (I × 4H) and whhT (H × 4H) and the bias (4H) for the vector width v: for each chunk
    /// of v hidden units one contiguous (I+H) × 4v panel whose row holds the chunk's i, f, g, o columns side by side, and
    /// the bias in the same chunk-major column order (j/v·4v + q·v + j%v). Contiguous panels matter: rows of the unpacked
    /// matrix lie 4H values apart, a power of two that maps a whole panel onto a few L1 sets.
    /// </summary>
    public static void Pack<T>(ReadOnlySpan<T> wihT, ReadOnlySpan<T> whhT, ReadOnlySpan<T> bias, Span<T> weights, Span<T> packedBias,
        int input, int hidden) where T : unmanaged
    {
        int v = VectorCount<T>(), width = 4 * hidden, depth = input + hidden;
        for (int j = 0; j < hidden; j += v)
        {
            Span<T> panel = weights.Slice(j / v * depth * 4 * v, depth * 4 * v);
            for (int p = 0; p < depth; p++)
            {
                ReadOnlySpan<T> row = p < input ? wihT.Slice(p * width, width) : whhT.Slice((p - input) * width, width);
                for (int q = 0; q < 4; q++) row.Slice(q * hidden + j, v).CopyTo(panel.Slice(p * 4 * v + q * v, v));
            }
            for (int q = 0; q < 4; q++) bias.Slice(q * hidden + j, v).CopyTo(packedBias.Slice(4 * j + q * v, v));
        }
    }

    /// <summary>
    /// One step for the whole batch. x (batch × I), hPrev and cPrev (batch × H); writes act (4 gate blocks of n = batch·H:
    /// i, f, tanh g, o, block q at q·<paramref name="actStride"/>, default n), c and tanhC (batch × H) and h (batch × H).
    /// <paramref name="next"/> (optional): where the next step will write; on the 256-bit path its lines are prefetched a few
    /// per product tile, so the next step's stores find them in cache instead of fetching them from memory first (values only).
    /// </summary>
    public static void Step<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias,
        Span<T> act, Span<T> c, Span<T> tanhC, Span<T> h, int batch, int input, int hidden, int actStride = 0, NextStep<T> next = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = batch * hidden;
        if (actStride == 0) actStride = n;
        if (x.Length < batch * input || hPrev.Length < n || cPrev.Length < n || weights.Length < (input + hidden) * 4 * hidden
            || bias.Length < 4 * hidden || actStride < n || act.Length < 3 * actStride + n || c.Length < n || tanhC.Length < n || h.Length < n)
            throw new ArgumentException("fused LSTM step: buffers too small");
        var p = new Pointers<T>(x, hPrev, cPrev, weights, bias, act, c, tanhC, h);
        if (Vector512.IsHardwareAccelerated) Run<T, Vector512<T>, Vector512Ops<T>>(p, batch, input, hidden, actStride, next);
        else Run<T, Vector256<T>, Vector256Ops<T>>(p, batch, input, hidden, actStride, next);
    }

    /// <summary>
    /// The next step's output regions, for prefetching only: act (4 gate blocks, actLength values) and c, tanh c, h (each
    /// outLength values). Empty (default) for none. Spans, so every prefetched address lies inside its array.
    /// </summary>
    public readonly ref struct NextStep<T>(Span<T> act, Span<T> c, Span<T> tanhC, Span<T> h) where T : unmanaged
    {
        public readonly Span<T> Act = act, C = c, TanhC = tanhC, H = h;
        public bool IsEmpty => Act.IsEmpty;
        /// <summary>Whole lines in act, and in each of c, tanh c, h (each region at least this many lines long).</summary>
        public int ActLines => Act.Length * Unsafe.SizeOf<T>() / 64;
        public int OutLines => Math.Min(C.Length, Math.Min(TanhC.Length, H.Length)) * Unsafe.SizeOf<T>() / 64;
    }

    private readonly ref struct Pointers<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> hPrev, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> weights,
        ReadOnlySpan<T> bias, Span<T> act, Span<T> c, Span<T> tanhC, Span<T> h) where T : unmanaged
    {
        public readonly ref T X = ref MemoryMarshal.GetReference(x);
        public readonly ref T HPrev = ref MemoryMarshal.GetReference(hPrev);
        public readonly ref T CPrev = ref MemoryMarshal.GetReference(cPrev);
        public readonly ref T W = ref MemoryMarshal.GetReference(weights);
        public readonly ref T Bias = ref MemoryMarshal.GetReference(bias);
        public readonly ref T Act = ref MemoryMarshal.GetReference(act);
        public readonly ref T C = ref MemoryMarshal.GetReference(c);
        public readonly ref T TanhC = ref MemoryMarshal.GetReference(tanhC);
        public readonly ref T H = ref MemoryMarshal.GetReference(h);
    }

    /// <summary>The step; <paramref name="n"/> is act's gate-block stride (the only use of n below: c, tanhC and h are batch × H).</summary>
    private static void Run<T, TV, TOps>(in Pointers<T> p, int batch, int input, int hidden, int n, NextStep<T> next)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count, width = 4 * v;
        // Below 512 bits: 4 rows × 3 weight vectors (12 accumulators + 3 + 1 = AVX2's 16 registers) over the packed panels
        // taken as one run of 4H/v weight vectors, pre-activations only; rows past the last whole 4-row group take the 2-row tile.
        int rows4 = TOps.HasManyRegisters ? 0 : batch / 4 * 4;
        if (rows4 > 0) ColumnTiles<T, TV, TOps>(p, rows4, input, hidden, n, next);
        // Chunk outer, rows inner: the chunk's (I+H) × 4v weight panel stays in L1 while every row tile streams past it.
        for (int j = 0; j < hidden; j += v)
        {
            ref T w = ref Unsafe.Add(ref p.W, j * (input + hidden) * 4);
            ref T b = ref Unsafe.Add(ref p.Bias, 4 * j);
            int r = rows4;
            // 4 rows × 4 gates = 16 accumulators + 4 weight vectors + a broadcast: AVX-512's 32 registers. AVX2 has 16, where
            // that tile spills; 2 rows × 4 gates (8 + 4 + 1) fits, its σ/tanh epilogue deferred to one pass over the step.
            // The order of each output's sum is the same in both.
            if (TOps.HasManyRegisters)
                for (; r + 4 <= batch; r += 4)
                    Tile4<T, TV, TOps>(p, ref w, ref b, width, r, j, input, hidden, n);
            else
                for (; r + 2 <= batch; r += 2)
                    Tile2<T, TV, TOps>(p, ref w, ref b, width, r, j, input, hidden, n);
            for (; r < batch; r++)
                Tile1<T, TV, TOps>(p, ref w, ref b, width, r, j, input, hidden, n);
        }
        if (!TOps.HasManyRegisters) FinishAll<T, TV, TOps>(p, batch / 2 * 2, hidden, n);
    }

    /// <summary>
    /// Rows 0..rows-1 (a multiple of 4) of the step's pre-activations on the 256-bit path. Weight vector u (0..4H/v-1) is gate
    /// u%4 of chunk u/4: column (u%4)·v.. of panel u/4, row stride 4v; its bias is packed at u·v and its outputs go to gate
    /// block u%4, units (u/4)·v... Three vectors per tile, two where 4 are left (two 4×2 tiles rather than 4×3 + a 4×1 whose 4
    /// accumulators wait on the FMA latency). Every output is the same chain as in the other tiles: bias, x in order, h in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ColumnTiles<T, TV, TOps>(in Pointers<T> p, int rows, int input, int hidden, int n, NextStep<T> next)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count, vectors = 4 * hidden / v, u = 0;
        // The next step's outputs (act, c, tanh c, h: 112 KB at B = 32, H = 128) spread over this step's 4×3 tiles, a few lines
        // after each: its stores then hit cache lines already fetched (AVX2 LSTM H=128: the forward ~0.4 ms of ~6 ms faster).
        int actLines = next.IsEmpty ? 0 : next.ActLines, outLines = next.IsEmpty ? 0 : next.OutLines;
        int total = actLines + 3 * outLines, tiles3 = 0;
        for (int w = 0; w + 3 <= vectors && vectors - w != 4; w += 3) tiles3 += rows / 4;
        int perTile = tiles3 == 0 ? 0 : (total + tiles3 - 1) / tiles3, line = 0;
        ref T nAct = ref MemoryMarshal.GetReference(next.Act), nC = ref MemoryMarshal.GetReference(next.C);
        ref T nTanhC = ref MemoryMarshal.GetReference(next.TanhC), nH = ref MemoryMarshal.GetReference(next.H);
        for (; u + 3 <= vectors && vectors - u != 4; u += 3)
            for (int r = 0; r < rows; r += 4)
            {
                Tile4x3<T, TV, TOps>(p, u, r, input, hidden, n);
                if (line < total)
                {
                    int to = Math.Min(total, line + perTile);
                    Prefetch.Lines(ref nAct, actLines, ref nC, ref nTanhC, ref nH, outLines, line, to);
                    line = to;
                }
            }
        for (; u + 2 <= vectors; u += 2)
            for (int r = 0; r < rows; r += 4) Tile4x2<T, TV, TOps>(p, u, r, input, hidden, n);
        for (; u < vectors; u++)
            for (int r = 0; r < rows; r += 4) Tile4x1<T, TV, TOps>(p, u, r, input, hidden, n);
    }

    /// <summary>Where weight vector u starts in the packed panels (row 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WeightOffset(int u, int v, int depth) => u / 4 * depth * 4 * v + u % 4 * v;

    /// <summary>Where weight vector u's outputs for row r start in the gate-major act.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ActOffset(int u, int v, int r, int hidden, int n) => u % 4 * n + r * hidden + u / 4 * v;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile4x3<T, TV, TOps>(in Pointers<T> p, int u, int r, int input, int hidden, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count, width = 4 * v, depthAll = input + hidden;
        int w0 = WeightOffset(u, v, depthAll);
        nint d1 = WeightOffset(u + 1, v, depthAll) - w0, d2 = WeightOffset(u + 2, v, depthAll) - w0;   // native-width offsets: no sign extension in the loop
        TV x00 = TOps.Load(ref Unsafe.Add(ref p.Bias, u * v)), x01 = TOps.Load(ref Unsafe.Add(ref p.Bias, (u + 1) * v)), x02 = TOps.Load(ref Unsafe.Add(ref p.Bias, (u + 2) * v));
        TV x10 = x00, x11 = x01, x12 = x02, x20 = x00, x21 = x01, x22 = x02, x30 = x00, x31 = x01, x32 = x02;
        for (int side = 0; side < 2; side++)
        {
            int depth = side == 0 ? input : hidden;
            nint s1 = depth, s2 = 2 * depth, s3 = 3 * depth;
            ref T a = ref side == 0 ? ref Unsafe.Add(ref p.X, r * input) : ref Unsafe.Add(ref p.HPrev, r * hidden);
            ref T row = ref Unsafe.Add(ref p.W, w0 + (side == 0 ? 0 : input * width));
            for (int k = 0; k < depth; k++)
            {
                TV b0 = TOps.Load(ref row), b1 = TOps.Load(ref Unsafe.Add(ref row, d1)), b2 = TOps.Load(ref Unsafe.Add(ref row, d2));
                TV a0 = TOps.Broadcast(a);
                x00 = TOps.MultiplyAdd(a0, b0, x00); x01 = TOps.MultiplyAdd(a0, b1, x01); x02 = TOps.MultiplyAdd(a0, b2, x02);
                a0 = TOps.Broadcast(Unsafe.Add(ref a, s1));
                x10 = TOps.MultiplyAdd(a0, b0, x10); x11 = TOps.MultiplyAdd(a0, b1, x11); x12 = TOps.MultiplyAdd(a0, b2, x12);
                a0 = TOps.Broadcast(Unsafe.Add(ref a, s2));
                x20 = TOps.MultiplyAdd(a0, b0, x20); x21 = TOps.MultiplyAdd(a0, b1, x21); x22 = TOps.MultiplyAdd(a0, b2, x22);
                a0 = TOps.Broadcast(Unsafe.Add(ref a, s3));
                x30 = TOps.MultiplyAdd(a0, b0, x30); x31 = TOps.MultiplyAdd(a0, b1, x31); x32 = TOps.MultiplyAdd(a0, b2, x32);
                a = ref Unsafe.Add(ref a, 1);
                row = ref Unsafe.Add(ref row, width);
            }
        }
        ref T c0 = ref Unsafe.Add(ref p.Act, ActOffset(u, v, r, hidden, n));
        ref T c1 = ref Unsafe.Add(ref p.Act, ActOffset(u + 1, v, r, hidden, n));
        ref T c2 = ref Unsafe.Add(ref p.Act, ActOffset(u + 2, v, r, hidden, n));
        TOps.Store(x00, ref c0); TOps.Store(x01, ref c1); TOps.Store(x02, ref c2);
        TOps.Store(x10, ref Unsafe.Add(ref c0, hidden)); TOps.Store(x11, ref Unsafe.Add(ref c1, hidden)); TOps.Store(x12, ref Unsafe.Add(ref c2, hidden));
        TOps.Store(x20, ref Unsafe.Add(ref c0, 2 * hidden)); TOps.Store(x21, ref Unsafe.Add(ref c1, 2 * hidden)); TOps.Store(x22, ref Unsafe.Add(ref c2, 2 * hidden));
        TOps.Store(x30, ref Unsafe.Add(ref c0, 3 * hidden)); TOps.Store(x31, ref Unsafe.Add(ref c1, 3 * hidden)); TOps.Store(x32, ref Unsafe.Add(ref c2, 3 * hidden));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile4x2<T, TV, TOps>(in Pointers<T> p, int u, int r, int input, int hidden, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count, width = 4 * v, depthAll = input + hidden;
        int w0 = WeightOffset(u, v, depthAll);
        nint d1 = WeightOffset(u + 1, v, depthAll) - w0;
        TV x00 = TOps.Load(ref Unsafe.Add(ref p.Bias, u * v)), x01 = TOps.Load(ref Unsafe.Add(ref p.Bias, (u + 1) * v));
        TV x10 = x00, x11 = x01, x20 = x00, x21 = x01, x30 = x00, x31 = x01;
        for (int side = 0; side < 2; side++)
        {
            int depth = side == 0 ? input : hidden;
            nint s1 = depth, s2 = 2 * depth, s3 = 3 * depth;
            ref T a = ref side == 0 ? ref Unsafe.Add(ref p.X, r * input) : ref Unsafe.Add(ref p.HPrev, r * hidden);
            ref T row = ref Unsafe.Add(ref p.W, w0 + (side == 0 ? 0 : input * width));
            for (int k = 0; k < depth; k++)
            {
                TV b0 = TOps.Load(ref row), b1 = TOps.Load(ref Unsafe.Add(ref row, d1));
                TV a0 = TOps.Broadcast(a), a1 = TOps.Broadcast(Unsafe.Add(ref a, s1));
                TV a2 = TOps.Broadcast(Unsafe.Add(ref a, s2)), a3 = TOps.Broadcast(Unsafe.Add(ref a, s3));
                x00 = TOps.MultiplyAdd(a0, b0, x00); x01 = TOps.MultiplyAdd(a0, b1, x01);
                x10 = TOps.MultiplyAdd(a1, b0, x10); x11 = TOps.MultiplyAdd(a1, b1, x11);
                x20 = TOps.MultiplyAdd(a2, b0, x20); x21 = TOps.MultiplyAdd(a2, b1, x21);
                x30 = TOps.MultiplyAdd(a3, b0, x30); x31 = TOps.MultiplyAdd(a3, b1, x31);
                a = ref Unsafe.Add(ref a, 1);
                row = ref Unsafe.Add(ref row, width);
            }
        }
        ref T c0 = ref Unsafe.Add(ref p.Act, ActOffset(u, v, r, hidden, n));
        ref T c1 = ref Unsafe.Add(ref p.Act, ActOffset(u + 1, v, r, hidden, n));
        TOps.Store(x00, ref c0); TOps.Store(x01, ref c1);
        TOps.Store(x10, ref Unsafe.Add(ref c0, hidden)); TOps.Store(x11, ref Unsafe.Add(ref c1, hidden));
        TOps.Store(x20, ref Unsafe.Add(ref c0, 2 * hidden)); TOps.Store(x21, ref Unsafe.Add(ref c1, 2 * hidden));
        TOps.Store(x30, ref Unsafe.Add(ref c0, 3 * hidden)); TOps.Store(x31, ref Unsafe.Add(ref c1, 3 * hidden));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile4x1<T, TV, TOps>(in Pointers<T> p, int u, int r, int input, int hidden, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count, width = 4 * v;
        TV x0 = TOps.Load(ref Unsafe.Add(ref p.Bias, u * v)), x1 = x0, x2 = x0, x3 = x0;
        for (int side = 0; side < 2; side++)
        {
            int depth = side == 0 ? input : hidden;
            ref T a = ref side == 0 ? ref Unsafe.Add(ref p.X, r * input) : ref Unsafe.Add(ref p.HPrev, r * hidden);
            ref T row = ref Unsafe.Add(ref p.W, WeightOffset(u, v, input + hidden) + (side == 0 ? 0 : input * width));
            for (int k = 0; k < depth; k++)
            {
                TV b0 = TOps.Load(ref row);
                x0 = TOps.MultiplyAdd(TOps.Broadcast(a), b0, x0);
                x1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a, depth)), b0, x1);
                x2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a, 2 * depth)), b0, x2);
                x3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a, 3 * depth)), b0, x3);
                a = ref Unsafe.Add(ref a, 1);
                row = ref Unsafe.Add(ref row, width);
            }
        }
        ref T c0 = ref Unsafe.Add(ref p.Act, ActOffset(u, v, r, hidden, n));
        TOps.Store(x0, ref c0); TOps.Store(x1, ref Unsafe.Add(ref c0, hidden));
        TOps.Store(x2, ref Unsafe.Add(ref c0, 2 * hidden)); TOps.Store(x3, ref Unsafe.Add(ref c0, 3 * hidden));
    }

    // Not inlined: each tile is one method with all its vector operations inlined (a caller that inlined the tiles ran out of
    // inlining budget and left the operations as calls).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile4<T, TV, TOps>(in Pointers<T> p, ref T w, ref T b, int width, int r, int j, int input, int hidden, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        TV bi = TOps.Load(ref b), bf = TOps.Load(ref Unsafe.Add(ref b, v)), bg = TOps.Load(ref Unsafe.Add(ref b, 2 * v)), bo = TOps.Load(ref Unsafe.Add(ref b, 3 * v));
        TV i0 = bi, f0 = bf, g0 = bg, o0 = bo, i1 = bi, f1 = bf, g1 = bg, o1 = bo;
        TV i2 = bi, f2 = bf, g2 = bg, o2 = bo, i3 = bi, f3 = bf, g3 = bg, o3 = bo;
        // Input side, then hidden side: the same accumulation over two A sources and consecutive weight rows.
        for (int side = 0; side < 2; side++)
        {
            int depth = side == 0 ? input : hidden;
            ref T a = ref side == 0 ? ref Unsafe.Add(ref p.X, r * input) : ref Unsafe.Add(ref p.HPrev, r * hidden);
            ref T wp = ref side == 0 ? ref w : ref Unsafe.Add(ref w, input * width);
            for (int k = 0; k < depth; k++)
            {
                ref T row = ref Unsafe.Add(ref wp, k * width);
                TV wi = TOps.Load(ref row), wf = TOps.Load(ref Unsafe.Add(ref row, v));
                TV wg = TOps.Load(ref Unsafe.Add(ref row, 2 * v)), wo = TOps.Load(ref Unsafe.Add(ref row, 3 * v));
                ref T ak = ref Unsafe.Add(ref a, k);
                TV u = TOps.Broadcast(ak);
                i0 = TOps.MultiplyAdd(u, wi, i0); f0 = TOps.MultiplyAdd(u, wf, f0); g0 = TOps.MultiplyAdd(u, wg, g0); o0 = TOps.MultiplyAdd(u, wo, o0);
                u = TOps.Broadcast(Unsafe.Add(ref ak, depth));
                i1 = TOps.MultiplyAdd(u, wi, i1); f1 = TOps.MultiplyAdd(u, wf, f1); g1 = TOps.MultiplyAdd(u, wg, g1); o1 = TOps.MultiplyAdd(u, wo, o1);
                u = TOps.Broadcast(Unsafe.Add(ref ak, 2 * depth));
                i2 = TOps.MultiplyAdd(u, wi, i2); f2 = TOps.MultiplyAdd(u, wf, f2); g2 = TOps.MultiplyAdd(u, wg, g2); o2 = TOps.MultiplyAdd(u, wo, o2);
                u = TOps.Broadcast(Unsafe.Add(ref ak, 3 * depth));
                i3 = TOps.MultiplyAdd(u, wi, i3); f3 = TOps.MultiplyAdd(u, wf, f3); g3 = TOps.MultiplyAdd(u, wg, g3); o3 = TOps.MultiplyAdd(u, wo, o3);
            }
        }
        int offset = r * hidden + j;
        Finish<T, TV, TOps>(p, offset, n, i0, f0, g0, o0);
        Finish<T, TV, TOps>(p, offset + hidden, n, i1, f1, g1, o1);
        Finish<T, TV, TOps>(p, offset + 2 * hidden, n, i2, f2, g2, o2);
        Finish<T, TV, TOps>(p, offset + 3 * hidden, n, i3, f3, g3, o3);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile2<T, TV, TOps>(in Pointers<T> p, ref T w, ref T b, int width, int r, int j, int input, int hidden, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        TV i0 = TOps.Load(ref b), f0 = TOps.Load(ref Unsafe.Add(ref b, v)), g0 = TOps.Load(ref Unsafe.Add(ref b, 2 * v)), o0 = TOps.Load(ref Unsafe.Add(ref b, 3 * v));
        TV i1 = i0, f1 = f0, g1 = g0, o1 = o0;
        for (int side = 0; side < 2; side++)
        {
            int depth = side == 0 ? input : hidden;
            ref T a = ref side == 0 ? ref Unsafe.Add(ref p.X, r * input) : ref Unsafe.Add(ref p.HPrev, r * hidden);
            ref T row = ref side == 0 ? ref w : ref Unsafe.Add(ref w, input * width);
            for (int k = 0; k < depth; k++)
            {
                TV wi = TOps.Load(ref row), wf = TOps.Load(ref Unsafe.Add(ref row, v));
                TV wg = TOps.Load(ref Unsafe.Add(ref row, 2 * v)), wo = TOps.Load(ref Unsafe.Add(ref row, 3 * v));
                TV u = TOps.Broadcast(a);
                i0 = TOps.MultiplyAdd(u, wi, i0); f0 = TOps.MultiplyAdd(u, wf, f0); g0 = TOps.MultiplyAdd(u, wg, g0); o0 = TOps.MultiplyAdd(u, wo, o0);
                u = TOps.Broadcast(Unsafe.Add(ref a, depth));
                i1 = TOps.MultiplyAdd(u, wi, i1); f1 = TOps.MultiplyAdd(u, wf, f1); g1 = TOps.MultiplyAdd(u, wg, g1); o1 = TOps.MultiplyAdd(u, wo, o1);
                a = ref Unsafe.Add(ref a, 1);
                row = ref Unsafe.Add(ref row, width);
            }
        }
        // Pre-activations only: the σ/tanh epilogue of the 2-row tiles runs afterwards over the whole step (FinishAll).
        ref T act = ref Unsafe.Add(ref p.Act, r * hidden + j);
        TOps.Store(i0, ref act); TOps.Store(f0, ref Unsafe.Add(ref act, n)); TOps.Store(g0, ref Unsafe.Add(ref act, 2 * n)); TOps.Store(o0, ref Unsafe.Add(ref act, 3 * n));
        act = ref Unsafe.Add(ref act, hidden);
        TOps.Store(i1, ref act); TOps.Store(f1, ref Unsafe.Add(ref act, n)); TOps.Store(g1, ref Unsafe.Add(ref act, 2 * n)); TOps.Store(o1, ref Unsafe.Add(ref act, 3 * n));
    }

    /// <summary>
    /// The epilogue of the 2-row tiles, rows 0..rows-1 of the step: each vector of units is independent of the next, so the
    /// out-of-order core overlaps the long σ → c → σ(2c) → h chains of many vectors, where inside a 2-row tile two chains ran
    /// nearly alone (and the exp constants spilled around the accumulators). Two vectors, one 64-byte line, per iteration: with
    /// one vector per iteration this pass measured ~1.6× slower than the in-tile epilogue (presumably each iteration's loads
    /// sharing a line with the previous iteration's stores and waiting for them).
    /// The same operations on the same stored pre-activations as the in-register epilogue of the 4-row tile: the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FinishAll<T, TV, TOps>(in Pointers<T> p, int rows, int hidden, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count, end = rows * hidden, e = 0;
        if (typeof(T) == typeof(float) && typeof(TV) == typeof(Vector256<float>))
            e = FinishAllFloat256(ref Unsafe.As<T, float>(ref p.Act), ref Unsafe.As<T, float>(ref p.CPrev), ref Unsafe.As<T, float>(ref p.C),
                ref Unsafe.As<T, float>(ref p.TanhC), ref Unsafe.As<T, float>(ref p.H), end, n);
        for (; e + 2 * v <= end; e += 2 * v)
        {
            ref T act = ref Unsafe.Add(ref p.Act, e);
            TV a0 = TOps.Load(ref act), a1 = TOps.Load(ref Unsafe.Add(ref act, v));
            TV b0 = TOps.Load(ref Unsafe.Add(ref act, n)), b1 = TOps.Load(ref Unsafe.Add(ref act, n + v));
            TV c0 = TOps.Load(ref Unsafe.Add(ref act, 2 * n)), c1 = TOps.Load(ref Unsafe.Add(ref act, 2 * n + v));
            TV d0 = TOps.Load(ref Unsafe.Add(ref act, 3 * n)), d1 = TOps.Load(ref Unsafe.Add(ref act, 3 * n + v));
            Finish<T, TV, TOps>(p, e, n, a0, b0, c0, d0);
            Finish<T, TV, TOps>(p, e + v, n, a1, b1, c1, d1);
        }
        for (; e < end; e += v)
        {
            ref T act = ref Unsafe.Add(ref p.Act, e);
            Finish<T, TV, TOps>(p, e, n, TOps.Load(ref act), TOps.Load(ref Unsafe.Add(ref act, n)), TOps.Load(ref Unsafe.Add(ref act, 2 * n)),
                TOps.Load(ref Unsafe.Add(ref act, 3 * n)));
        }
    }

    /// <summary>
    /// <see cref="FinishAll{T, TV, TOps}"/> for float on 256-bit vectors, 4 vectors (32 units) per iteration: the sigmoids of
    /// one vector's four gates side by side (<see cref="FastExp.Sigmoid4"/>), then the four tanh(c) side by side. Per element the
    /// same operations in the same order as <see cref="Finish{T, TV, TOps}"/>: the same bits. Returns how far it got (whole 32s).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FinishAllFloat256(ref float act, ref float cPrev, ref float cOut, ref float tanhC, ref float hOut, int end, int n)
    {
        const int v = 8;
        int e = 0;
        Vector256<float> one = Vector256<float>.One;
        for (; e + 4 * v <= end; e += 4 * v)
        {
            Vector256<float> c0 = Gates(ref act, ref cPrev, e, n), c1 = Gates(ref act, ref cPrev, e + v, n);
            Vector256<float> c2 = Gates(ref act, ref cPrev, e + 2 * v, n), c3 = Gates(ref act, ref cPrev, e + 3 * v, n);
            Vector256.StoreUnsafe(c0, ref cOut, (nuint)e); Vector256.StoreUnsafe(c1, ref cOut, (nuint)(e + v));
            Vector256.StoreUnsafe(c2, ref cOut, (nuint)(e + 2 * v)); Vector256.StoreUnsafe(c3, ref cOut, (nuint)(e + 3 * v));
            Vector256<float> s0 = c0 + c0, s1 = c1 + c1, s2 = c2 + c2, s3 = c3 + c3;
            FastExp.Sigmoid4(ref s0, ref s1, ref s2, ref s3);
            Vector256<float> t0 = s0 + s0 - one, t1 = s1 + s1 - one, t2 = s2 + s2 - one, t3 = s3 + s3 - one;
            Vector256.StoreUnsafe(t0, ref tanhC, (nuint)e); Vector256.StoreUnsafe(t1, ref tanhC, (nuint)(e + v));
            Vector256.StoreUnsafe(t2, ref tanhC, (nuint)(e + 2 * v)); Vector256.StoreUnsafe(t3, ref tanhC, (nuint)(e + 3 * v));
            ref float o = ref Unsafe.Add(ref act, 3 * n);
            Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref o, (nuint)e) * t0, ref hOut, (nuint)e);
            Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref o, (nuint)(e + v)) * t1, ref hOut, (nuint)(e + v));
            Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref o, (nuint)(e + 2 * v)) * t2, ref hOut, (nuint)(e + 2 * v));
            Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref o, (nuint)(e + 3 * v)) * t3, ref hOut, (nuint)(e + 3 * v));
        }
        return e;
    }

    /// <summary>One vector of units: i, f, o = σ, g = 2σ - 1 stored back into act; returns c = f·c_prev + i·g (as Finish).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Gates(ref float act, ref float cPrev, int e, int n)
    {
        ref float a = ref Unsafe.Add(ref act, e);
        Vector256<float> i = Vector256.LoadUnsafe(ref a), f = Vector256.LoadUnsafe(ref a, (nuint)n);
        Vector256<float> o = Vector256.LoadUnsafe(ref a, (nuint)(3 * n)), sg = Vector256.LoadUnsafe(ref a, (nuint)(2 * n));
        FastExp.Sigmoid4(ref i, ref f, ref o, ref sg);
        Vector256<float> g = sg + sg - Vector256<float>.One;
        Vector256.StoreUnsafe(i, ref a);
        Vector256.StoreUnsafe(f, ref a, (nuint)n);
        Vector256.StoreUnsafe(g, ref a, (nuint)(2 * n));
        Vector256.StoreUnsafe(o, ref a, (nuint)(3 * n));
        return Vector256.FusedMultiplyAdd(f, Vector256.LoadUnsafe(ref cPrev, (nuint)e), i * g);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile1<T, TV, TOps>(in Pointers<T> p, ref T w, ref T b, int width, int r, int j, int input, int hidden, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        TV i0 = TOps.Load(ref b), f0 = TOps.Load(ref Unsafe.Add(ref b, v)), g0 = TOps.Load(ref Unsafe.Add(ref b, 2 * v)), o0 = TOps.Load(ref Unsafe.Add(ref b, 3 * v));
        for (int side = 0; side < 2; side++)
        {
            int depth = side == 0 ? input : hidden;
            ref T a = ref side == 0 ? ref Unsafe.Add(ref p.X, r * input) : ref Unsafe.Add(ref p.HPrev, r * hidden);
            ref T wp = ref side == 0 ? ref w : ref Unsafe.Add(ref w, input * width);
            for (int k = 0; k < depth; k++)
            {
                ref T row = ref Unsafe.Add(ref wp, k * width);
                TV u = TOps.Broadcast(Unsafe.Add(ref a, k));
                i0 = TOps.MultiplyAdd(u, TOps.Load(ref row), i0);
                f0 = TOps.MultiplyAdd(u, TOps.Load(ref Unsafe.Add(ref row, v)), f0);
                g0 = TOps.MultiplyAdd(u, TOps.Load(ref Unsafe.Add(ref row, 2 * v)), g0);
                o0 = TOps.MultiplyAdd(u, TOps.Load(ref Unsafe.Add(ref row, 3 * v)), o0);
            }
        }
        Finish<T, TV, TOps>(p, r * hidden + j, n, i0, f0, g0, o0);
    }

    /// <summary>Gates, c = f·c_prev + i·g, tanh(c) = 2·σ(2c) - 1 and h = o·tanh(c) for one vector of units of one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<T, TV, TOps>(in Pointers<T> p, int offset, int n, TV ai, TV af, TV ag, TV ao)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        TV one = TOps.Broadcast(T.One);
        TV i = TOps.Sigmoid(ai), f = TOps.Sigmoid(af), o = TOps.Sigmoid(ao);
        TV sg = TOps.Sigmoid(ag);
        TV g = TOps.Subtract(TOps.Add(sg, sg), one);
        TV c = TOps.MultiplyAdd(f, TOps.Load(ref Unsafe.Add(ref p.CPrev, offset)), TOps.Multiply(i, g));
        TV sc = TOps.Sigmoid(TOps.Add(c, c));
        TV tc = TOps.Subtract(TOps.Add(sc, sc), one);
        ref T act = ref Unsafe.Add(ref p.Act, offset);
        TOps.Store(i, ref act);
        TOps.Store(f, ref Unsafe.Add(ref act, n));
        TOps.Store(g, ref Unsafe.Add(ref act, 2 * n));
        TOps.Store(o, ref Unsafe.Add(ref act, 3 * n));
        TOps.Store(c, ref Unsafe.Add(ref p.C, offset));
        TOps.Store(tc, ref Unsafe.Add(ref p.TanhC, offset));
        TOps.Store(TOps.Multiply(o, tc), ref Unsafe.Add(ref p.H, offset));
    }
}
