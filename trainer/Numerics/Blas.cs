using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Embedded.Trainer.Numerics;

/// <summary>
/// The dense kernels training needs, generic over float and double, row-major with explicit strides so gate
/// blocks of a weight matrix and gate-major activation buffers are used in place. One register-tiled kernel
/// (4 rows × up to 4 vectors of C held in registers while the inner dimension streams through, depth-blocked so a
/// panel of B stays in L1) serves every product, on 512-bit vectors where the CPU has them, else 256-bit. No allocation.
/// </summary>
internal static class Blas
{
    /// <summary>
    /// C = (accumulate ? C : bias row or 0) + A·B, where A(m×k) has A[i,p] = a[i·aRow + p·aCol] (aRow = k, aCol = 1: row-major;
    /// aRow = 1, aCol = m': a row-major matrix read transposed), B(k×n) has B[p,j] = b[p·ldb + j] and C(m×n) has row stride ldc.
    /// </summary>
    public static void Gemm<T>(ReadOnlySpan<T> a, int aRow, int aCol, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc,
        int m, int k, int n, bool accumulate, ReadOnlySpan<T> bias = default) where T : unmanaged, IFloatingPointIeee754<T>
        => Gemm(a, aRow, aCol, b, ldb, c, ldc, m, k, n, accumulate ? GemmStart.Accumulate : bias.IsEmpty ? GemmStart.Zero : GemmStart.Init, bias, 0, default);

    /// <summary>
    /// The general form: C starts from zero, from itself, or from an init matrix (row stride <paramref name="ldInit"/>; 0 = one
    /// row broadcast, i.e. a bias). <paramref name="blocks"/> lets C and the init matrix be stored as separate column blocks
    /// (gate-major buffers) and A as separate depth blocks, so a product over all gates is one call.
    /// </summary>
    public static void Gemm<T>(ReadOnlySpan<T> a, int aRow, int aCol, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc,
        int m, int k, int n, GemmStart start, ReadOnlySpan<T> init, int ldInit, GemmBlocks blocks) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0) return;
        ref T A = ref MemoryMarshal.GetReference(a);
        ref T B = ref MemoryMarshal.GetReference(b);
        ref T C = ref MemoryMarshal.GetReference(c);
        ref T I = ref MemoryMarshal.GetReference(init);
        if (k == 0)
        {
            ScalarColumns(ref A, aRow, aCol, ref B, ldb, 0, ref C, ldc, ref I, ldInit, m, 0, n, start, blocks);
            return;
        }
        int v512 = Vector512<T>.Count, v256 = Vector256<T>.Count;
        if (Vector512.IsHardwareAccelerated && n >= v512 && (blocks.ColumnBlock == 0 || blocks.ColumnBlock % v512 == 0))
            Kernel<T, Vector512<T>, Vector512Ops<T>>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, ref I, ldInit, m, k, n, start, blocks);
        else if (Vector256.IsHardwareAccelerated && n >= v256 && (blocks.ColumnBlock == 0 || blocks.ColumnBlock % v256 == 0))
            Kernel<T, Vector256<T>, Vector256Ops<T>>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, ref I, ldInit, m, k, n, start, blocks);
        else
            Kernel<T, T, ScalarOps<T>>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, ref I, ldInit, m, k, n, start, blocks);
    }

    /// <summary>C(m×n) += A(m×k) · B(k×n), all row-major and dense.</summary>
    public static void MatMulAdd<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n) where T : unmanaged, IFloatingPointIeee754<T>
        => Gemm(a, k, 1, b, n, c, n, m, k, n, accumulate: true);

    /// <summary>C(m×n) += A(m×k) · Bᵀ where B is (n×k): m·n dot products of length k (for small n such as a head).</summary>
    public static void MatMulTransposedAdd<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<T> aRow = a.Slice(i * k, k);
            Span<T> cRow = c.Slice(i * n, n);
            for (int j = 0; j < n; j++) cRow[j] += Dot(aRow, b.Slice(j * k, k));
        }
    }

    /// <summary>
    /// Σ a[i]·b[i] in an order that does not depend on the CPU: two 128-bit accumulators (every x64 and arm64 has them;
    /// without SIMD the software vectors add in the same order), lanes summed in index order, then the tail. Unlike
    /// TensorPrimitives.Dot, whose order follows the widest vector the CPU has, this gives the same bits on AVX-512,
    /// AVX2 and the scalar path (issue 17 item 5: same seed, same model on every CPU).
    /// </summary>
    public static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (b.Length < a.Length) throw new ArgumentException("dot: spans differ in length");
        ref T A = ref MemoryMarshal.GetReference(a);
        ref T B = ref MemoryMarshal.GetReference(b);
        int v = Vector128<T>.Count, i = 0, n = a.Length;
        Vector128<T> s0 = Vector128<T>.Zero, s1 = Vector128<T>.Zero;
        for (; i + 2 * v <= n; i += 2 * v)
        {
            s0 += Vector128.LoadUnsafe(ref A, (nuint)i) * Vector128.LoadUnsafe(ref B, (nuint)i);
            s1 += Vector128.LoadUnsafe(ref A, (nuint)(i + v)) * Vector128.LoadUnsafe(ref B, (nuint)(i + v));
        }
        s0 += s1;
        T sum = T.Zero;
        for (int l = 0; l < v; l++) sum += s0.GetElement(l);
        for (; i < n; i++) sum += Unsafe.Add(ref A, i) * Unsafe.Add(ref B, i);
        return sum;
    }

    /// <summary>C(k×n) += Aᵀ · B where A is (m×k) and B is (m×n): a weight-gradient product (A read column-wise in place).</summary>
    public static void TransposedMatMulAdd<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, T[] scratch) where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMatMulAdd(a, k, b, n, c, n, m, k, n, scratch);

    /// <summary>
    /// C(k×n, stride ldc) += Aᵀ·B with A (m×k, row stride lda) and B (m×n, row stride ldb). When C's width fits the
    /// vectors badly Cᵀ = Bᵀ·A is formed in <paramref name="scratch"/> (at least n·k) so the wide side runs along the vectors.
    /// </summary>
    public static void TransposedMatMulAdd<T>(ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, int m, int k, int n, T[] scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Cᵀ = Bᵀ·A when C's columns fit the vectors badly (a few inputs, or 28 one-hot symbols) and its rows fit them well.
        bool transposedIsBetter = (n < 8 || n % 16 != 0) && k >= 16 && k % 16 == 0;
        if (!transposedIsBetter || scratch.Length < n * k) { Gemm(a, 1, lda, b, ldb, c, ldc, k, m, n, accumulate: true); return; }
        Span<T> cT = scratch.AsSpan(0, n * k);
        Gemm(b, 1, ldb, a, lda, cT, k, n, m, k, accumulate: false);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++) c[i * ldc + j] += cT[j * k + i];
    }

    /// <summary>
    /// For each block q &lt; blocks: C_q(k×n) += A_qᵀ·B, where A_q (m×k, row stride lda) starts at q·blockStride in
    /// <paramref name="a"/> and C_q at q·k·ldc in <paramref name="c"/> (the gate-major gradients and the gate-stacked weight
    /// gradient). On the packed 256-bit path all blocks are one product (B's panels copied once, not once per block); elsewhere
    /// one <see cref="TransposedMatMulAdd{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, int, int, int, T[])"/> per
    /// block. Either way each output is the same in-order FMA chain from its C value: the same bits.
    /// </summary>
    public static void TransposedMatMulAddBlocks<T>(ReadOnlySpan<T> a, int lda, int blockStride, int blocks, ReadOnlySpan<T> b, int ldb,
        Span<T> c, int ldc, int m, int k, int n, T[] scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool transposedIsBetter = (n < 8 || n % 16 != 0) && k >= 16 && k % 16 == 0;
        int v = Vector256<T>.Count;
        bool oneProduct = blocks > 1 && !Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated && !transposedIsBetter
            && lda >= 16 && k % 4 == 0 && k * blocks >= 8 && m >= 64 && n >= v && n % v == 0 && ldc == n;
        // Exactly 4 vectors wide (H = 32 on AVX2): the 4-row tiles there are 2 rows × 4 vectors (8 accumulators, 74 GFLOP/s against
        // ~95 for 4 × 3). Formed transposed instead, Cᵀ (n × k·blocks) = Bᵀ·[A_0 | A_1 | ...] with the gate blocks as B's column
        // blocks, 4·n wide: 4×3 tiles. fma(a, b, c) = fma(b, a, c) and each output starts from its C value (transposed in and
        // out) and runs over the rows in order: the same chain, the same bits.
        if (blocks > 1 && !Vector512.IsHardwareAccelerated && Vector256.IsHardwareAccelerated && n == 4 * v && k % v == 0
            && ldb >= 16 && lda >= 16 && m >= 64 && ldc == n)
        {
            int wide = k * blocks;
            T[] buffer = PackBuffer<T>.C(n * wide, out int offset);
            Span<T> cT = buffer.AsSpan(offset, n * wide), stacked = c[..(wide * n)];
            Transpose<T>(stacked, cT, wide, n);
            Gemm(b, 1, ldb, a, lda, cT, wide, n, m, wide, GemmStart.Accumulate, default, 0, new GemmBlocks(0, 0, 0, 0, 0, 0, 0, k, blockStride));
            Transpose<T>(cT, stacked, n, wide);
            return;
        }
        if (!oneProduct)
        {
            for (int q = 0; q < blocks; q++)
                TransposedMatMulAdd(a[(q * blockStride)..], lda, b, ldb, c.Slice(q * k * ldc), ldc, m, k, n, scratch);
            return;
        }
        Gemm(a, 1, lda, b, ldb, c, ldc, k * blocks, m, n, GemmStart.Accumulate, default, 0, new GemmBlocks(0, 0, 0, 0, 0, k, blockStride));
    }

    /// <summary>
    /// For 4 inputs on the 256-bit float path: C(k×4, stride ldc) += Aᵀ·B as <see cref="TransposedMatMulAdd{T}(ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, int, int, int, T[])"/>
    /// (A = the gradients, m×k, row stride k; B = the inputs, m×4) and sum += A's column sums as <see cref="AddColumnSums{T}"/>, in
    /// one pass down A instead of two (A: a gate's whole-sequence gradient block, 400 KB at T·B = 3200, H = 32). Each output is the
    /// same chain as there: Cᵀ[i, j] = fma over the rows in order from zero (then added to C), each column sum the rows added in
    /// order from zero (then added to sum): the same bits. Only up to 64 columns (H = 32: backward 0.78 -> 0.75 ms per step,
    /// in-process A/B); at H = 128 the one pass measured slower than the two (backward +0.2 ms, with or without row blocks).
    /// False (nothing done) where it does not apply.
    /// </summary>
    public static bool TransposedMatMulAddWithColumnSums<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, int input, Span<T> c, int ldc, Span<T> sum, int m, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || input != 4 || Vector512.IsHardwareAccelerated || !Vector256.IsHardwareAccelerated || k % 16 != 0 || k > 64
            || a.Length < m * k || b.Length < m * 4 || sum.Length < k || c.Length < (k - 1) * ldc + 4)
            return false;
        ref float A = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(a));
        ref float X = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(b));
        ref float S = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(sum));
        ref float Cm = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(c));
        // Running values per column: 4 product chains and the sum (5·k floats), kept between row blocks (a store and a load are exact).
        Span<float> run = stackalloc float[5 * k];
        run.Clear();
        ref float R = ref MemoryMarshal.GetReference(run);
        // Row blocks of 128, all columns per block: a block of A is read from L3 once, its 16-column chunks then from L1/L2.
        for (int p0 = 0; p0 < m; p0 += 128)
        {
            int p1 = Math.Min(m, p0 + 128);
            for (int j = 0; j < k; j += 16)
            {
                // 16 columns (one line of each row of A): 8 product accumulators + 2 sums + 2 A vectors + a broadcast = 13 registers.
                ref float rj = ref Unsafe.Add(ref R, 5 * j);
                Vector256<float> c00 = Vector256.LoadUnsafe(ref rj, 0), c01 = Vector256.LoadUnsafe(ref rj, 8), c10 = Vector256.LoadUnsafe(ref rj, 16), c11 = Vector256.LoadUnsafe(ref rj, 24);
                Vector256<float> c20 = Vector256.LoadUnsafe(ref rj, 32), c21 = Vector256.LoadUnsafe(ref rj, 40), c30 = Vector256.LoadUnsafe(ref rj, 48), c31 = Vector256.LoadUnsafe(ref rj, 56);
                Vector256<float> s0 = Vector256.LoadUnsafe(ref rj, 64), s1 = Vector256.LoadUnsafe(ref rj, 72);
                ref float ap = ref Unsafe.Add(ref A, p0 * k + j);
                ref float xp = ref Unsafe.Add(ref X, p0 * 4);
                for (int p = p0; p < p1; p++)
                {
                    Vector256<float> b0 = Vector256.LoadUnsafe(ref ap), b1 = Vector256.LoadUnsafe(ref ap, 8);
                    s0 += b0; s1 += b1;
                    Vector256<float> u = Vector256.Create(xp);
                    c00 = Vector256.FusedMultiplyAdd(u, b0, c00); c01 = Vector256.FusedMultiplyAdd(u, b1, c01);
                    u = Vector256.Create(Unsafe.Add(ref xp, 1));
                    c10 = Vector256.FusedMultiplyAdd(u, b0, c10); c11 = Vector256.FusedMultiplyAdd(u, b1, c11);
                    u = Vector256.Create(Unsafe.Add(ref xp, 2));
                    c20 = Vector256.FusedMultiplyAdd(u, b0, c20); c21 = Vector256.FusedMultiplyAdd(u, b1, c21);
                    u = Vector256.Create(Unsafe.Add(ref xp, 3));
                    c30 = Vector256.FusedMultiplyAdd(u, b0, c30); c31 = Vector256.FusedMultiplyAdd(u, b1, c31);
                    ap = ref Unsafe.Add(ref ap, k);
                    xp = ref Unsafe.Add(ref xp, 4);
                }
                c00.StoreUnsafe(ref rj, 0); c01.StoreUnsafe(ref rj, 8); c10.StoreUnsafe(ref rj, 16); c11.StoreUnsafe(ref rj, 24);
                c20.StoreUnsafe(ref rj, 32); c21.StoreUnsafe(ref rj, 40); c30.StoreUnsafe(ref rj, 48); c31.StoreUnsafe(ref rj, 56);
                s0.StoreUnsafe(ref rj, 64); s1.StoreUnsafe(ref rj, 72);
            }
        }
        for (int j = 0; j < k; j += 16)
        {
            ref float rj = ref Unsafe.Add(ref R, 5 * j);
            (Vector256.LoadUnsafe(ref S, (nuint)j) + Vector256.LoadUnsafe(ref rj, 64)).StoreUnsafe(ref S, (nuint)j);
            (Vector256.LoadUnsafe(ref S, (nuint)(j + 8)) + Vector256.LoadUnsafe(ref rj, 72)).StoreUnsafe(ref S, (nuint)(j + 8));
            for (int jj = 0; jj < 16; jj++)
                for (int i = 0; i < 4; i++) Unsafe.Add(ref Cm, (j + jj) * ldc + i) += Unsafe.Add(ref rj, i * 16 + jj);
        }
        return true;
    }

    /// <summary>Every row of C(m×n) = bias (n).</summary>
    public static void BroadcastRows<T>(ReadOnlySpan<T> bias, Span<T> c, int m)
    {
        int n = bias.Length;
        for (int i = 0; i < m; i++) bias.CopyTo(c.Slice(i * n, n));
    }

    /// <summary>sum += column sums of A(m×n) (row stride n): a bias gradient. Column chunks are summed down all rows in registers.</summary>
    public static void AddColumnSums<T>(ReadOnlySpan<T> a, Span<T> sum, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = sum.Length;
        if (a.Length < m * n) throw new ArgumentException("column sums: matrix too small");
        ref T A = ref MemoryMarshal.GetReference(a);
        ref T S = ref MemoryMarshal.GetReference(sum);
        int v = Vector<T>.Count, j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Four vectors of columns per walk down the rows where the width allows: four independent add chains instead of two
            // (each chain waits on the add latency). Every column is still summed over the rows in order: the same bits.
            for (; j + 4 * v <= n; j += 4 * v)
            {
                Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
                for (int i = 0; i < m; i++)
                {
                    ref T row = ref Unsafe.Add(ref A, i * n + j);
                    s0 += Vector.LoadUnsafe(ref row);
                    s1 += Vector.LoadUnsafe(ref row, (nuint)v);
                    s2 += Vector.LoadUnsafe(ref row, (nuint)(2 * v));
                    s3 += Vector.LoadUnsafe(ref row, (nuint)(3 * v));
                }
                (Vector.LoadUnsafe(ref S, (nuint)j) + s0).StoreUnsafe(ref S, (nuint)j);
                (Vector.LoadUnsafe(ref S, (nuint)(j + v)) + s1).StoreUnsafe(ref S, (nuint)(j + v));
                (Vector.LoadUnsafe(ref S, (nuint)(j + 2 * v)) + s2).StoreUnsafe(ref S, (nuint)(j + 2 * v));
                (Vector.LoadUnsafe(ref S, (nuint)(j + 3 * v)) + s3).StoreUnsafe(ref S, (nuint)(j + 3 * v));
            }
            for (; j + 2 * v <= n; j += 2 * v)
            {
                Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero;
                for (int i = 0; i < m; i++)
                {
                    ref T row = ref Unsafe.Add(ref A, i * n + j);
                    s0 += Vector.LoadUnsafe(ref row);
                    s1 += Vector.LoadUnsafe(ref row, (nuint)v);
                }
                (Vector.LoadUnsafe(ref S, (nuint)j) + s0).StoreUnsafe(ref S, (nuint)j);
                (Vector.LoadUnsafe(ref S, (nuint)(j + v)) + s1).StoreUnsafe(ref S, (nuint)(j + v));
            }
            for (; j + v <= n; j += v)
            {
                Vector<T> s0 = Vector<T>.Zero;
                for (int i = 0; i < m; i++) s0 += Vector.LoadUnsafe(ref Unsafe.Add(ref A, i * n + j));
                (Vector.LoadUnsafe(ref S, (nuint)j) + s0).StoreUnsafe(ref S, (nuint)j);
            }
        }
        for (; j < n; j++)
        {
            T total = T.Zero;
            for (int i = 0; i < m; i++) total += Unsafe.Add(ref A, i * n + j);
            Unsafe.Add(ref S, j) += total;
        }
    }

    /// <summary>dst(n×m) = srcᵀ where src is (m×n).</summary>
    public static void Transpose<T>(ReadOnlySpan<T> src, Span<T> dst, int m, int n)
    {
        if (src.Length < m * n || dst.Length < m * n) throw new ArgumentException("transpose: buffers too small");
        ref T S = ref MemoryMarshal.GetReference(src);
        ref T D = ref MemoryMarshal.GetReference(dst);
        const int tile = 16;   // tiles keep both the reads and the strided writes within a few cache lines
        for (int i0 = 0; i0 < m; i0 += tile)
            for (int j0 = 0; j0 < n; j0 += tile)
            {
                int i1 = Math.Min(m, i0 + tile), j1 = Math.Min(n, j0 + tile);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++) Unsafe.Add(ref D, j * m + i) = Unsafe.Add(ref S, i * n + j);
            }
    }

    /// <summary>
    /// Register-tiled kernel over depth blocks (one A block at a time) and column panels; tail columns go scalar. Tiles: 4 rows ×
    /// 4 vectors where the ISA has 32 vector registers (AVX-512), 4 rows × 3 vectors where it has 16 (AVX2, and the 128-bit and
    /// scalar fallbacks). Each output is one FMA chain over p = 0..k-1 in order, whatever the tile, the panel or the packing:
    /// the same bits on every path.
    /// </summary>
    private static void Kernel<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, ref T C, int ldc, ref T I, int ldInit,
        int m, int k, int n, GemmStart start, GemmBlocks bl) where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        // Depth block: a k-block × 4-vector panel of B should stay within ~32 KB of L1. When B's rows lie a multiple of 256
        // bytes apart the panel's lines crowd into a fraction of the L1 sets, so the block is halved to stay resident.
        int depth = Math.Max(16, 32768 / (4 * v * Unsafe.SizeOf<T>()));
        // B column blocks (dW_hh formed transposed, 3-vector panels): half the depth measured faster (gemm-shapes 32: 80 -> 85 GFLOP/s).
        if (bl.BColumnBlock > 0) depth = Math.Max(16, depth / 2);
        int aBlock = bl.DepthBlock > 0 ? bl.DepthBlock : k;
        // A read transposed (aRow = 1: the weight-gradient products Aᵀ·B over the whole sequence) with rows a power-of-two
        // multiple apart: the 4 values a tile broadcasts per step p lie one row of A apart, so a depth block of A and the B panel
        // crowd into a few L1 sets and miss. Such products copy each depth block of A into 4-row groups (p-major, 4 values per p)
        // and each B panel into a dense kk × panel block; packing moves values only, every output's FMA chain stays the same.
        // Below 512 bits only: on AVX-512 (4×4 tiles, depth halved) the copies cost more than they saved (measured).
        bool pack = !TOps.HasManyRegisters && aRow == 1 && aCol >= 16 && m >= 8 && k >= 64;
        if (bl.RowBlock > 0 && !(pack && bl.RowBlock % 4 == 0 && m % 4 == 0 && n % v == 0))
            throw new ArgumentException("row blocks: only on the packed 256-bit weight-gradient path (whole 4-row groups and vectors)");
        if (bl.BColumnBlock > 0 && !(pack && m % 4 == 0 && n % v == 0 && bl.BColumnBlock % v == 0))
            throw new ArgumentException("B column blocks: only on the packed 256-bit path (whole 4-row groups and vectors)");
        if (!pack && ldb * Unsafe.SizeOf<T>() % 256 == 0) depth = Math.Max(16, depth / 2);
        T[] packA = [], packB = [];
        int offA = 0, offB = 0;
        if (pack)
        {
            packA = PackBuffer<T>.A(m / 4 * 4 * Math.Min(k, depth), out offA);
            packB = PackBuffer<T>.B(4 * v * Math.Min(k, depth), out offB);
        }
        // A in depth blocks (the per-step dL/dh product: one block per gate) on the 16-register path: a tile runs through as many
        // whole blocks as the depth allows, A jumping from block to block inside it, instead of one tile call (its C loaded and
        // stored) per block. Each output is still the same chain over p in order.
        // At most half the depth (B's rows are read in place: 128 of them kept the panel in L1; at H = 128 two 128-deep blocks per
        // tile measured slower, 40 -> 46 µs per product), so this serves blocks of up to a quarter of the depth (H = 32: 4 per tile).
        int span = depth / 2 / Math.Max(1, bl.DepthBlock) * bl.DepthBlock;
        bool spanBlocks = !TOps.HasManyRegisters && !pack && bl.DepthBlock > 0 && span >= 2 * bl.DepthBlock && m % 4 == 0 && n % v == 0;
        int segment = spanBlocks ? aBlock : int.MaxValue;
        nint jump = spanBlocks ? bl.DepthBlockStride - (nint)aBlock * aCol : 0;
        for (int p0 = 0; p0 < k;)
        {
            int q = p0 / aBlock;
            int p1 = spanBlocks ? Math.Min(k, p0 + span) : Math.Min(Math.Min(k, p0 + depth), (q + 1) * aBlock);
            int kk = p1 - p0;
            ref T Ap = ref Unsafe.Add(ref A, q * bl.DepthBlockStride + (p0 - q * aBlock) * aCol);
            ref T Bp = ref Unsafe.Add(ref B, p0 * ldb);
            GemmStart mode = p0 == 0 ? start : GemmStart.Accumulate;
            // The 4-row tiles read A through (At, atStep, atRow, atCol): in place, or from the packed copy when A is read transposed.
            ref T At = ref Ap;
            int atStep = aRow, atRow = aRow, atCol = aCol;
            if (pack)
            {
                PackTransposedA(ref Ap, aCol, m, kk, packA.AsSpan(offA), bl.RowBlock, bl.RowBlockStride);
                At = ref packA[offA];
                atStep = kk; atRow = 1; atCol = 4;
            }
            int j = 0;
            // AVX2 has 16 vector registers: a 4×4 tile (16 accumulators + 4 B vectors + a broadcast) spills there, so below 512
            // bits the widest panel is 3 vectors (12 accumulators + 3 + 1 = 16). AVX-512's 32 registers take the 4×4 tile.
            // Either way every output is one FMA chain over p in order, so the tile never changes a result's bits.
            if (!TOps.HasManyRegisters && n == 4 * v)
            {
                // Exactly 4 vectors wide (H = 32 on AVX2): 2 rows × 4 vectors (8 accumulators + 4 B + 1 = 13 registers) over the
                // whole width, instead of a 4×3 panel plus a 4×1 panel whose 4 accumulators leave the FMA units waiting on latency.
                int c0 = bl.COffset(0), c1 = bl.COffset(v), c2 = bl.COffset(2 * v), c3 = bl.COffset(3 * v);
                int i0 = bl.InitOffset(0), i1 = bl.InitOffset(v), i2 = bl.InitOffset(2 * v), i3 = bl.InitOffset(3 * v);
                ref T Bj = ref Bp;
                int ldbj = ldb;
                if (pack) { PackPanel(ref Bp, 0, ldb, kk, 4 * v, packB.AsSpan(offB), bl, v); Bj = ref packB[offB]; ldbj = 4 * v; }
                int i = 0;
                for (; i + 4 <= m; i += 4)
                {
                    ref T Ai = ref Unsafe.Add(ref At, i * atStep);
                    Tile2x4<T, TV, TOps>(ref Ai, atRow, atCol, ref Bj, ldbj, kk, segment, jump, ref Unsafe.Add(ref C, i * ldc), ldc,
                        ref Unsafe.Add(ref I, i * ldInit), ldInit, mode, c0, c1, c2, c3, i0, i1, i2, i3);
                    Tile2x4<T, TV, TOps>(ref Unsafe.Add(ref Ai, 2 * atRow), atRow, atCol, ref Bj, ldbj, kk, segment, jump, ref Unsafe.Add(ref C, (i + 2) * ldc), ldc,
                        ref Unsafe.Add(ref I, (i + 2) * ldInit), ldInit, mode, c0, c1, c2, c3, i0, i1, i2, i3);
                }
                for (; i < m; i++)
                {
                    ref T Ai = ref Unsafe.Add(ref Ap, i * aRow);
                    ref T Ci = ref Unsafe.Add(ref C, i * ldc);
                    ref T Ii = ref Unsafe.Add(ref I, i * ldInit);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Bj, ldbj, kk, ref Ci, ref Ii, mode, c0, i0);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, v), ldbj, kk, ref Ci, ref Ii, mode, c1, i1);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, 2 * v), ldbj, kk, ref Ci, ref Ii, mode, c2, i2);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, 3 * v), ldbj, kk, ref Ci, ref Ii, mode, c3, i3);
                }
                j = n;
            }
            else if (!TOps.HasManyRegisters)
            {
                // Stop the 3-vector panels 4 vectors before the end (n = 16 vectors: 4 × 3 + 2 × 2, not 5 × 3 + 1): a last 4×1 panel has
                // only 4 accumulators and waits on the FMA latency, two 4×2 panels (8 each) keep both FMA units busy.
                for (; j + 3 * v <= n && n - j != 4 * v; j += 3 * v)
                {
                    int c0 = bl.COffset(j), c1 = bl.COffset(j + v), c2 = bl.COffset(j + 2 * v);
                    int i0 = bl.InitOffset(j), i1 = bl.InitOffset(j + v), i2 = bl.InitOffset(j + 2 * v);
                    ref T Bj = ref Unsafe.Add(ref Bp, j);
                    int ldbj = ldb;
                    if (pack) { PackPanel(ref Bp, j, ldb, kk, 3 * v, packB.AsSpan(offB), bl, v); Bj = ref packB[offB]; ldbj = 3 * v; }
                    int i = 0;
                    for (; i + 4 <= m; i += 4)
                        Tile4x3<T, TV, TOps>(ref Unsafe.Add(ref At, i * atStep), atRow, atCol, ref Bj, ldbj, kk, segment, jump, ref Unsafe.Add(ref C, i * ldc), ldc,
                            ref Unsafe.Add(ref I, i * ldInit), ldInit, mode, c0, c1, c2, i0, i1, i2);
                    for (; i < m; i++)
                    {
                        ref T Ai = ref Unsafe.Add(ref Ap, i * aRow);
                        ref T Ci = ref Unsafe.Add(ref C, i * ldc);
                        ref T Ii = ref Unsafe.Add(ref I, i * ldInit);
                        Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Bj, ldbj, kk, ref Ci, ref Ii, mode, c0, i0);
                        Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, v), ldbj, kk, ref Ci, ref Ii, mode, c1, i1);
                        Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, 2 * v), ldbj, kk, ref Ci, ref Ii, mode, c2, i2);
                    }
                }
            }
            else for (; j + 4 * v <= n; j += 4 * v)
            {
                int c0 = bl.COffset(j), c1 = bl.COffset(j + v), c2 = bl.COffset(j + 2 * v), c3 = bl.COffset(j + 3 * v);
                int i0 = bl.InitOffset(j), i1 = bl.InitOffset(j + v), i2 = bl.InitOffset(j + 2 * v), i3 = bl.InitOffset(j + 3 * v);
                ref T Bj = ref Unsafe.Add(ref Bp, j);
                int ldbj = ldb;
                if (pack) { PackPanel(ref Bp, j, ldb, kk, 4 * v, packB.AsSpan(offB), bl, v); Bj = ref packB[offB]; ldbj = 4 * v; }
                int i = 0;
                for (; i + 4 <= m; i += 4)
                    Tile4x4<T, TV, TOps>(ref Unsafe.Add(ref At, i * atStep), atRow, atCol, ref Bj, ldbj, kk, ref Unsafe.Add(ref C, i * ldc), ldc,
                        ref Unsafe.Add(ref I, i * ldInit), ldInit, mode, c0, c1, c2, c3, i0, i1, i2, i3);
                for (; i < m; i++)
                {
                    ref T Ai = ref Unsafe.Add(ref Ap, i * aRow);
                    ref T Ci = ref Unsafe.Add(ref C, i * ldc);
                    ref T Ii = ref Unsafe.Add(ref I, i * ldInit);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Bj, ldbj, kk, ref Ci, ref Ii, mode, c0, i0);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, v), ldbj, kk, ref Ci, ref Ii, mode, c1, i1);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, 2 * v), ldbj, kk, ref Ci, ref Ii, mode, c2, i2);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, 3 * v), ldbj, kk, ref Ci, ref Ii, mode, c3, i3);
                }
            }
            for (; j + 2 * v <= n; j += 2 * v)
            {
                int c0 = bl.COffset(j), c1 = bl.COffset(j + v), i0 = bl.InitOffset(j), i1 = bl.InitOffset(j + v);
                ref T Bj = ref Unsafe.Add(ref Bp, j);
                int ldbj = ldb;
                if (pack) { PackPanel(ref Bp, j, ldb, kk, 2 * v, packB.AsSpan(offB), bl, v); Bj = ref packB[offB]; ldbj = 2 * v; }
                int i = 0;
                for (; i + 4 <= m; i += 4)
                    Tile4x2<T, TV, TOps>(ref Unsafe.Add(ref At, i * atStep), atRow, atCol, ref Bj, ldbj, kk, segment, jump, ref Unsafe.Add(ref C, i * ldc), ldc,
                        ref Unsafe.Add(ref I, i * ldInit), ldInit, mode, c0, c1, i0, i1);
                for (; i < m; i++)
                {
                    ref T Ai = ref Unsafe.Add(ref Ap, i * aRow);
                    ref T Ci = ref Unsafe.Add(ref C, i * ldc);
                    ref T Ii = ref Unsafe.Add(ref I, i * ldInit);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Bj, ldbj, kk, ref Ci, ref Ii, mode, c0, i0);
                    Tile1x1<T, TV, TOps>(ref Ai, aCol, ref Unsafe.Add(ref Bj, v), ldbj, kk, ref Ci, ref Ii, mode, c1, i1);
                }
            }
            for (; j + v <= n; j += v)
            {
                int c0 = bl.COffset(j), i0 = bl.InitOffset(j);
                ref T Bj = ref Unsafe.Add(ref Bp, j);
                int ldbj = ldb;
                if (pack) { PackPanel(ref Bp, j, ldb, kk, 1 * v, packB.AsSpan(offB), bl, v); Bj = ref packB[offB]; ldbj = 1 * v; }
                int i = 0;
                for (; i + 4 <= m; i += 4)
                    Tile4x1<T, TV, TOps>(ref Unsafe.Add(ref At, i * atStep), atRow, atCol, ref Bj, ldbj, kk, segment, jump, ref Unsafe.Add(ref C, i * ldc), ldc,
                        ref Unsafe.Add(ref I, i * ldInit), ldInit, mode, c0, i0);
                for (; i < m; i++)
                    Tile1x1<T, TV, TOps>(ref Unsafe.Add(ref Ap, i * aRow), aCol, ref Bj, ldbj, kk, ref Unsafe.Add(ref C, i * ldc), ref Unsafe.Add(ref I, i * ldInit), mode, c0, i0);
            }
            if (j < n) ScalarColumns(ref Ap, aRow, aCol, ref Bp, ldb, kk, ref C, ldc, ref I, ldInit, m, j, n, mode, bl);
            p0 = p1;
        }
    }

    /// <summary>Copies rows 0..m/4·4-1 of a transposed-A depth block (A[i,p] = a[i + p·aCol]) into 4-row groups: dst[i·kk + p·4 + r] = A[i+r, p].
    /// Row i of a row-blocked A (rowBlock > 0, a multiple of 4) starts at (i / rowBlock)·rowBlockStride + i % rowBlock.</summary>
    private static void PackTransposedA<T>(ref T a, int aCol, int m, int kk, Span<T> dst, int rowBlock, int rowBlockStride) where T : unmanaged
    {
        ref T D = ref MemoryMarshal.GetReference(dst);
        int m4 = m / 4 * 4;
        for (int i = 0; i < m4; i += 4)
        {
            ref T g = ref Unsafe.Add(ref D, i * kk);
            ref T src = ref Unsafe.Add(ref a, rowBlock > 0 ? i / rowBlock * rowBlockStride + i % rowBlock : i);
            if (Unsafe.SizeOf<T>() == 4)
                for (int p = 0; p < kk; p++)
                    Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref g, 4 * p)), Unsafe.ReadUnaligned<Vector128<float>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref src, p * aCol))));
            else
                for (int p = 0; p < kk; p++)
                    Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref g, 4 * p)), Unsafe.ReadUnaligned<Vector256<double>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref src, p * aCol))));
        }
    }

    /// <summary>
    /// Copies the kk × width panel of B at column j into dst with row stride width. With B column blocks (bl.BColumnBlock, a
    /// multiple of the vector width) column j' lies at (j' / block)·stride + j' % block: each vector is copied from its block.
    /// </summary>
    private static void PackPanel<T>(ref T b, int j, int ldb, int kk, int width, Span<T> dst, GemmBlocks bl, int v) where T : unmanaged
    {
        if (bl.BColumnBlock == 0) { PackPanel(ref Unsafe.Add(ref b, j), ldb, kk, width, dst); return; }
        ref T D = ref MemoryMarshal.GetReference(dst);
        for (int w = 0; w < width; w += v)
        {
            int column = j + w;
            ref T s = ref Unsafe.Add(ref b, column / bl.BColumnBlock * bl.BColumnBlockStride + column % bl.BColumnBlock);
            ref T d = ref Unsafe.Add(ref D, w);
            if (v * Unsafe.SizeOf<T>() == 32)
                for (int p = 0; p < kk; p++)
                    Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref d, p * width)), Unsafe.ReadUnaligned<Vector256<byte>>(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref s, p * ldb))));
            else
                for (int p = 0; p < kk; p++)
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref s, p * ldb), v).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref d, p * width), v));
        }
    }

    /// <summary>Copies a kk × width panel of B (row stride ldb) into dst with row stride width.</summary>
    private static void PackPanel<T>(ref T b, int ldb, int kk, int width, Span<T> dst) where T : unmanaged
    {
        ref T D = ref MemoryMarshal.GetReference(dst);
        int bytes = width * Unsafe.SizeOf<T>();
        if (bytes % 32 == 0)
        {
            // Whole 32-byte pieces (the panels of the 256-bit path): a few vector moves per row instead of a span copy call.
            ref byte src = ref Unsafe.As<T, byte>(ref b), dstBytes = ref Unsafe.As<T, byte>(ref D);
            int rowBytes = ldb * Unsafe.SizeOf<T>();
            for (int p = 0; p < kk; p++)
            {
                ref byte s = ref Unsafe.Add(ref src, (nint)p * rowBytes), d = ref Unsafe.Add(ref dstBytes, (nint)p * bytes);
                for (int c = 0; c < bytes; c += 32) Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, c), Unsafe.ReadUnaligned<Vector256<byte>>(ref Unsafe.Add(ref s, c)));
            }
            return;
        }
        for (int p = 0; p < kk; p++)
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref b, p * ldb), width).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref D, p * width), width));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Start<T, TV, TOps>(GemmStart mode, ref T c, ref T init) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
        => mode == GemmStart.Accumulate ? TOps.Load(ref c) : mode == GemmStart.Init ? TOps.Load(ref init) : TOps.Zero;

    private static void Tile4x4<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, int kk, ref T C, int ldc, ref T I, int ldInit,
        GemmStart mode, int o0, int o1, int o2, int o3, int n0, int n1, int n2, int n3) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        ref T r0 = ref C; ref T r1 = ref Unsafe.Add(ref C, ldc); ref T r2 = ref Unsafe.Add(ref C, 2 * ldc); ref T r3 = ref Unsafe.Add(ref C, 3 * ldc);
        ref T s0 = ref I; ref T s1 = ref Unsafe.Add(ref I, ldInit); ref T s2 = ref Unsafe.Add(ref I, 2 * ldInit); ref T s3 = ref Unsafe.Add(ref I, 3 * ldInit);
        TV x00 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o0), ref Unsafe.Add(ref s0, n0)), x01 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o1), ref Unsafe.Add(ref s0, n1));
        TV x02 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o2), ref Unsafe.Add(ref s0, n2)), x03 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o3), ref Unsafe.Add(ref s0, n3));
        TV x10 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o0), ref Unsafe.Add(ref s1, n0)), x11 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o1), ref Unsafe.Add(ref s1, n1));
        TV x12 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o2), ref Unsafe.Add(ref s1, n2)), x13 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o3), ref Unsafe.Add(ref s1, n3));
        TV x20 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o0), ref Unsafe.Add(ref s2, n0)), x21 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o1), ref Unsafe.Add(ref s2, n1));
        TV x22 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o2), ref Unsafe.Add(ref s2, n2)), x23 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o3), ref Unsafe.Add(ref s2, n3));
        TV x30 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o0), ref Unsafe.Add(ref s3, n0)), x31 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o1), ref Unsafe.Add(ref s3, n1));
        TV x32 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o2), ref Unsafe.Add(ref s3, n2)), x33 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o3), ref Unsafe.Add(ref s3, n3));
        for (int p = 0; p < kk; p++)
        {
            ref T bp = ref Unsafe.Add(ref B, p * ldb);
            TV b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v)), b2 = TOps.Load(ref Unsafe.Add(ref bp, 2 * v)), b3 = TOps.Load(ref Unsafe.Add(ref bp, 3 * v));
            ref T ap = ref Unsafe.Add(ref A, p * aCol);
            TV u = TOps.Broadcast(ap);
            x00 = TOps.MultiplyAdd(u, b0, x00); x01 = TOps.MultiplyAdd(u, b1, x01); x02 = TOps.MultiplyAdd(u, b2, x02); x03 = TOps.MultiplyAdd(u, b3, x03);
            u = TOps.Broadcast(Unsafe.Add(ref ap, aRow));
            x10 = TOps.MultiplyAdd(u, b0, x10); x11 = TOps.MultiplyAdd(u, b1, x11); x12 = TOps.MultiplyAdd(u, b2, x12); x13 = TOps.MultiplyAdd(u, b3, x13);
            u = TOps.Broadcast(Unsafe.Add(ref ap, 2 * aRow));
            x20 = TOps.MultiplyAdd(u, b0, x20); x21 = TOps.MultiplyAdd(u, b1, x21); x22 = TOps.MultiplyAdd(u, b2, x22); x23 = TOps.MultiplyAdd(u, b3, x23);
            u = TOps.Broadcast(Unsafe.Add(ref ap, 3 * aRow));
            x30 = TOps.MultiplyAdd(u, b0, x30); x31 = TOps.MultiplyAdd(u, b1, x31); x32 = TOps.MultiplyAdd(u, b2, x32); x33 = TOps.MultiplyAdd(u, b3, x33);
        }
        TOps.Store(x00, ref Unsafe.Add(ref r0, o0)); TOps.Store(x01, ref Unsafe.Add(ref r0, o1)); TOps.Store(x02, ref Unsafe.Add(ref r0, o2)); TOps.Store(x03, ref Unsafe.Add(ref r0, o3));
        TOps.Store(x10, ref Unsafe.Add(ref r1, o0)); TOps.Store(x11, ref Unsafe.Add(ref r1, o1)); TOps.Store(x12, ref Unsafe.Add(ref r1, o2)); TOps.Store(x13, ref Unsafe.Add(ref r1, o3));
        TOps.Store(x20, ref Unsafe.Add(ref r2, o0)); TOps.Store(x21, ref Unsafe.Add(ref r2, o1)); TOps.Store(x22, ref Unsafe.Add(ref r2, o2)); TOps.Store(x23, ref Unsafe.Add(ref r2, o3));
        TOps.Store(x30, ref Unsafe.Add(ref r3, o0)); TOps.Store(x31, ref Unsafe.Add(ref r3, o1)); TOps.Store(x32, ref Unsafe.Add(ref r3, o2)); TOps.Store(x33, ref Unsafe.Add(ref r3, o3));
    }

    /// <summary>2 rows × 4 vectors: 8 accumulators, 4 B vectors and one broadcast (13 of AVX2's 16 registers).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile2x4<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, int kk, int segment, nint jump, ref T C, int ldc, ref T I, int ldInit,
        GemmStart mode, int o0, int o1, int o2, int o3, int n0, int n1, int n2, int n3) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        ref T r0 = ref C; ref T r1 = ref Unsafe.Add(ref C, ldc);
        ref T s0 = ref I; ref T s1 = ref Unsafe.Add(ref I, ldInit);
        TV x00 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o0), ref Unsafe.Add(ref s0, n0)), x01 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o1), ref Unsafe.Add(ref s0, n1));
        TV x02 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o2), ref Unsafe.Add(ref s0, n2)), x03 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o3), ref Unsafe.Add(ref s0, n3));
        TV x10 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o0), ref Unsafe.Add(ref s1, n0)), x11 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o1), ref Unsafe.Add(ref s1, n1));
        TV x12 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o2), ref Unsafe.Add(ref s1, n2)), x13 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o3), ref Unsafe.Add(ref s1, n3));
        ref T ap = ref A;
        ref T bp = ref B;
        // Runs of `segment` steps (A's depth blocks), A jumping by `jump` between them; one run when A is not blocked.
        for (int left = kk; ;)
        {
            int run = Math.Min(left, segment);
            for (int p = 0; p < run; p++)
            {
                TV b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v)), b2 = TOps.Load(ref Unsafe.Add(ref bp, 2 * v)), b3 = TOps.Load(ref Unsafe.Add(ref bp, 3 * v));
                TV u = TOps.Broadcast(ap);
                x00 = TOps.MultiplyAdd(u, b0, x00); x01 = TOps.MultiplyAdd(u, b1, x01); x02 = TOps.MultiplyAdd(u, b2, x02); x03 = TOps.MultiplyAdd(u, b3, x03);
                u = TOps.Broadcast(Unsafe.Add(ref ap, aRow));
                x10 = TOps.MultiplyAdd(u, b0, x10); x11 = TOps.MultiplyAdd(u, b1, x11); x12 = TOps.MultiplyAdd(u, b2, x12); x13 = TOps.MultiplyAdd(u, b3, x13);
                ap = ref Unsafe.Add(ref ap, aCol);
                bp = ref Unsafe.Add(ref bp, ldb);
            }
            left -= run;
            if (left == 0) break;
            ap = ref Unsafe.Add(ref ap, jump);
        }
        TOps.Store(x00, ref Unsafe.Add(ref r0, o0)); TOps.Store(x01, ref Unsafe.Add(ref r0, o1)); TOps.Store(x02, ref Unsafe.Add(ref r0, o2)); TOps.Store(x03, ref Unsafe.Add(ref r0, o3));
        TOps.Store(x10, ref Unsafe.Add(ref r1, o0)); TOps.Store(x11, ref Unsafe.Add(ref r1, o1)); TOps.Store(x12, ref Unsafe.Add(ref r1, o2)); TOps.Store(x13, ref Unsafe.Add(ref r1, o3));
    }

    /// <summary>4 rows × 3 vectors: 12 accumulators, 3 B vectors and one broadcast fill AVX2's 16 registers exactly.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile4x3<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, int kk, int segment, nint jump, ref T C, int ldc, ref T I, int ldInit,
        GemmStart mode, int o0, int o1, int o2, int n0, int n1, int n2) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        ref T r0 = ref C; ref T r1 = ref Unsafe.Add(ref C, ldc); ref T r2 = ref Unsafe.Add(ref C, 2 * ldc); ref T r3 = ref Unsafe.Add(ref C, 3 * ldc);
        ref T s0 = ref I; ref T s1 = ref Unsafe.Add(ref I, ldInit); ref T s2 = ref Unsafe.Add(ref I, 2 * ldInit); ref T s3 = ref Unsafe.Add(ref I, 3 * ldInit);
        TV x00 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o0), ref Unsafe.Add(ref s0, n0)), x01 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o1), ref Unsafe.Add(ref s0, n1));
        TV x02 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o2), ref Unsafe.Add(ref s0, n2));
        TV x10 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o0), ref Unsafe.Add(ref s1, n0)), x11 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o1), ref Unsafe.Add(ref s1, n1));
        TV x12 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o2), ref Unsafe.Add(ref s1, n2));
        TV x20 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o0), ref Unsafe.Add(ref s2, n0)), x21 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o1), ref Unsafe.Add(ref s2, n1));
        TV x22 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o2), ref Unsafe.Add(ref s2, n2));
        TV x30 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o0), ref Unsafe.Add(ref s3, n0)), x31 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o1), ref Unsafe.Add(ref s3, n1));
        TV x32 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o2), ref Unsafe.Add(ref s3, n2));
        ref T ap = ref A;
        ref T bp = ref B;
        // Runs of `segment` steps (A's depth blocks), A jumping by `jump` between them; one run when A is not blocked.
        for (int left = kk; ;)
        {
            int run = Math.Min(left, segment);
            for (int p = 0; p < run; p++)
            {
                TV b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v)), b2 = TOps.Load(ref Unsafe.Add(ref bp, 2 * v));
                TV u = TOps.Broadcast(ap);
                x00 = TOps.MultiplyAdd(u, b0, x00); x01 = TOps.MultiplyAdd(u, b1, x01); x02 = TOps.MultiplyAdd(u, b2, x02);
                u = TOps.Broadcast(Unsafe.Add(ref ap, aRow));
                x10 = TOps.MultiplyAdd(u, b0, x10); x11 = TOps.MultiplyAdd(u, b1, x11); x12 = TOps.MultiplyAdd(u, b2, x12);
                u = TOps.Broadcast(Unsafe.Add(ref ap, 2 * aRow));
                x20 = TOps.MultiplyAdd(u, b0, x20); x21 = TOps.MultiplyAdd(u, b1, x21); x22 = TOps.MultiplyAdd(u, b2, x22);
                u = TOps.Broadcast(Unsafe.Add(ref ap, 3 * aRow));
                x30 = TOps.MultiplyAdd(u, b0, x30); x31 = TOps.MultiplyAdd(u, b1, x31); x32 = TOps.MultiplyAdd(u, b2, x32);
                ap = ref Unsafe.Add(ref ap, aCol);
                bp = ref Unsafe.Add(ref bp, ldb);
            }
            left -= run;
            if (left == 0) break;
            ap = ref Unsafe.Add(ref ap, jump);
        }
        TOps.Store(x00, ref Unsafe.Add(ref r0, o0)); TOps.Store(x01, ref Unsafe.Add(ref r0, o1)); TOps.Store(x02, ref Unsafe.Add(ref r0, o2));
        TOps.Store(x10, ref Unsafe.Add(ref r1, o0)); TOps.Store(x11, ref Unsafe.Add(ref r1, o1)); TOps.Store(x12, ref Unsafe.Add(ref r1, o2));
        TOps.Store(x20, ref Unsafe.Add(ref r2, o0)); TOps.Store(x21, ref Unsafe.Add(ref r2, o1)); TOps.Store(x22, ref Unsafe.Add(ref r2, o2));
        TOps.Store(x30, ref Unsafe.Add(ref r3, o0)); TOps.Store(x31, ref Unsafe.Add(ref r3, o1)); TOps.Store(x32, ref Unsafe.Add(ref r3, o2));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile4x2<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, int kk, int segment, nint jump, ref T C, int ldc, ref T I, int ldInit,
        GemmStart mode, int o0, int o1, int n0, int n1) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        ref T r0 = ref C; ref T r1 = ref Unsafe.Add(ref C, ldc); ref T r2 = ref Unsafe.Add(ref C, 2 * ldc); ref T r3 = ref Unsafe.Add(ref C, 3 * ldc);
        ref T s0 = ref I; ref T s1 = ref Unsafe.Add(ref I, ldInit); ref T s2 = ref Unsafe.Add(ref I, 2 * ldInit); ref T s3 = ref Unsafe.Add(ref I, 3 * ldInit);
        TV x00 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o0), ref Unsafe.Add(ref s0, n0)), x01 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r0, o1), ref Unsafe.Add(ref s0, n1));
        TV x10 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o0), ref Unsafe.Add(ref s1, n0)), x11 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r1, o1), ref Unsafe.Add(ref s1, n1));
        TV x20 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o0), ref Unsafe.Add(ref s2, n0)), x21 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r2, o1), ref Unsafe.Add(ref s2, n1));
        TV x30 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o0), ref Unsafe.Add(ref s3, n0)), x31 = Start<T, TV, TOps>(mode, ref Unsafe.Add(ref r3, o1), ref Unsafe.Add(ref s3, n1));
        ref T ap = ref A;
        ref T bp = ref B;
        // Runs of `segment` steps (A's depth blocks), A jumping by `jump` between them; one run when A is not blocked.
        for (int left = kk; ;)
        {
            int run = Math.Min(left, segment);
            for (int p = 0; p < run; p++)
            {
                TV b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v));
                TV u0 = TOps.Broadcast(ap), u1 = TOps.Broadcast(Unsafe.Add(ref ap, aRow));
                TV u2 = TOps.Broadcast(Unsafe.Add(ref ap, 2 * aRow)), u3 = TOps.Broadcast(Unsafe.Add(ref ap, 3 * aRow));
                x00 = TOps.MultiplyAdd(u0, b0, x00); x01 = TOps.MultiplyAdd(u0, b1, x01);
                x10 = TOps.MultiplyAdd(u1, b0, x10); x11 = TOps.MultiplyAdd(u1, b1, x11);
                x20 = TOps.MultiplyAdd(u2, b0, x20); x21 = TOps.MultiplyAdd(u2, b1, x21);
                x30 = TOps.MultiplyAdd(u3, b0, x30); x31 = TOps.MultiplyAdd(u3, b1, x31);
                ap = ref Unsafe.Add(ref ap, aCol);
                bp = ref Unsafe.Add(ref bp, ldb);
            }
            left -= run;
            if (left == 0) break;
            ap = ref Unsafe.Add(ref ap, jump);
        }
        TOps.Store(x00, ref Unsafe.Add(ref r0, o0)); TOps.Store(x01, ref Unsafe.Add(ref r0, o1));
        TOps.Store(x10, ref Unsafe.Add(ref r1, o0)); TOps.Store(x11, ref Unsafe.Add(ref r1, o1));
        TOps.Store(x20, ref Unsafe.Add(ref r2, o0)); TOps.Store(x21, ref Unsafe.Add(ref r2, o1));
        TOps.Store(x30, ref Unsafe.Add(ref r3, o0)); TOps.Store(x31, ref Unsafe.Add(ref r3, o1));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile4x1<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, int kk, int segment, nint jump, ref T C, int ldc, ref T I, int ldInit,
        GemmStart mode, int o0, int n0) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        ref T r0 = ref Unsafe.Add(ref C, o0); ref T r1 = ref Unsafe.Add(ref r0, ldc); ref T r2 = ref Unsafe.Add(ref r1, ldc); ref T r3 = ref Unsafe.Add(ref r2, ldc);
        ref T s0 = ref Unsafe.Add(ref I, n0); ref T s1 = ref Unsafe.Add(ref s0, ldInit); ref T s2 = ref Unsafe.Add(ref s1, ldInit); ref T s3 = ref Unsafe.Add(ref s2, ldInit);
        TV x0 = Start<T, TV, TOps>(mode, ref r0, ref s0), x1 = Start<T, TV, TOps>(mode, ref r1, ref s1);
        TV x2 = Start<T, TV, TOps>(mode, ref r2, ref s2), x3 = Start<T, TV, TOps>(mode, ref r3, ref s3);
        ref T ap = ref A;
        ref T bp = ref B;
        // Runs of `segment` steps (A's depth blocks), A jumping by `jump` between them; one run when A is not blocked.
        for (int left = kk; ;)
        {
            int run = Math.Min(left, segment);
            for (int p = 0; p < run; p++)
            {
                TV b0 = TOps.Load(ref bp);
                x0 = TOps.MultiplyAdd(TOps.Broadcast(ap), b0, x0);
                x1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, aRow)), b0, x1);
                x2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 2 * aRow)), b0, x2);
                x3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 3 * aRow)), b0, x3);
                ap = ref Unsafe.Add(ref ap, aCol);
                bp = ref Unsafe.Add(ref bp, ldb);
            }
            left -= run;
            if (left == 0) break;
            ap = ref Unsafe.Add(ref ap, jump);
        }
        TOps.Store(x0, ref r0); TOps.Store(x1, ref r1); TOps.Store(x2, ref r2); TOps.Store(x3, ref r3);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile1x1<T, TV, TOps>(ref T A, int aCol, ref T B, int ldb, int kk, ref T C, ref T I, GemmStart mode, int o0, int n0)
        where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        ref T c0 = ref Unsafe.Add(ref C, o0);
        TV x0 = Start<T, TV, TOps>(mode, ref c0, ref Unsafe.Add(ref I, n0));
        for (int p = 0; p < kk; p++)
            x0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref A, p * aCol)), TOps.Load(ref Unsafe.Add(ref B, p * ldb)), x0);
        TOps.Store(x0, ref c0);
    }

    /// <summary>Columns j0..n-1 one at a time (narrow products and the tail past the last whole vector), over one depth block.</summary>
    private static void ScalarColumns<T>(ref T A, int aRow, int aCol, ref T B, int ldb, int kk, ref T C, int ldc, ref T I, int ldInit,
        int m, int j0, int n, GemmStart mode, GemmBlocks bl) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            ref T a0 = ref Unsafe.Add(ref A, i * aRow);
            for (int j = j0; j < n; j++)
            {
                ref T cij = ref Unsafe.Add(ref C, i * ldc + bl.COffset(j));
                T s = mode == GemmStart.Accumulate ? cij : mode == GemmStart.Init ? Unsafe.Add(ref I, i * ldInit + bl.InitOffset(j)) : T.Zero;
                for (int p = 0; p < kk; p++) s = T.FusedMultiplyAdd(Unsafe.Add(ref a0, p * aCol), Unsafe.Add(ref B, p * ldb + j), s);
                cij = s;
            }
        }
    }
}

/// <summary>Per-thread packing buffers of the product kernel (grown on demand, never shrunk: no allocation once sizes settle).</summary>
internal static class PackBuffer<T>
{
    [ThreadStatic] private static T[]? _a, _b, _c;
    [ThreadStatic] private static int _aOffset, _bOffset, _cOffset;

    /// <summary>A buffer of at least <paramref name="length"/> values from index <paramref name="offset"/>, which is 64-byte aligned.</summary>
    public static T[] A(int length, out int offset) => Get(ref _a, ref _aOffset, length, out offset);

    public static T[] B(int length, out int offset) => Get(ref _b, ref _bOffset, length, out offset);

    /// <summary>A transposed output block (<see cref="Blas.TransposedMatMulAddBlocks{T}"/>).</summary>
    public static T[] C(int length, out int offset) => Get(ref _c, ref _cOffset, length, out offset);

    // Pinned (never moves), so the aligned offset found once stays aligned: packed rows then never straddle cache lines
    // (a 32-byte load across a line boundary costs two; the 2×4 tile's dW_hh at H = 32 ran 2× slower in some processes without this).
    private static T[] Get(ref T[]? buffer, ref int bufferOffset, int length, out int offset)
    {
        if (buffer is null || buffer.Length - bufferOffset < length)
        {
            int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            buffer = GC.AllocateUninitializedArray<T>(length + 64 / size, pinned: true);
            long address = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0).ToInt64();
            bufferOffset = (int)((64 - address % 64) % 64) / size;
        }
        offset = bufferOffset;
        return buffer;
    }
}

/// <summary>Where a product's accumulators start.</summary>
internal enum GemmStart
{
    Zero,
    /// <summary>From C itself: C += A·B.</summary>
    Accumulate,
    /// <summary>From the init matrix (or broadcast bias row).</summary>
    Init,
}

/// <summary>
/// Block layouts for <see cref="Blas.Gemm{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, int, Span{T}, int, int, int, int, GemmStart, ReadOnlySpan{T}, int, GemmBlocks)"/>:
/// columns of C (and of the init matrix) come in blocks of <see cref="ColumnBlock"/>, block q starting q·stride further on
/// (a gate-major buffer); the depth of A comes in blocks of <see cref="DepthBlock"/>, block q starting q·<see cref="DepthBlockStride"/> on.
/// Zero fields mean plain dense layouts.
/// </summary>
/// <summary>
/// Block layouts for <see cref="Blas.Gemm{T}(ReadOnlySpan{T}, int, int, ReadOnlySpan{T}, int, Span{T}, int, int, int, int, GemmStart, ReadOnlySpan{T}, int, GemmBlocks)"/>.
/// <paramref name="RowBlock"/>/<paramref name="RowBlockStride"/>: A read transposed and packed (the 256-bit weight-gradient
/// products) stored as separate blocks of RowBlock rows (gate-major gradients), so all gates' weight gradients are one product.
/// <paramref name="BColumnBlock"/>/<paramref name="BColumnBlockStride"/>: on the same packed path, B's columns stored as separate
/// blocks (the gate-major gradients as B: all gates' transposed weight gradients as one product).
/// </summary>
internal readonly record struct GemmBlocks(int ColumnBlock, int CBlockStride, int InitBlockStride, int DepthBlock, int DepthBlockStride,
    int RowBlock = 0, int RowBlockStride = 0, int BColumnBlock = 0, int BColumnBlockStride = 0)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int COffset(int column) => ColumnBlock == 0 ? column : column / ColumnBlock * CBlockStride + column % ColumnBlock;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int InitOffset(int column) => ColumnBlock == 0 ? column : column / ColumnBlock * InitBlockStride + column % ColumnBlock;
}
