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
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) { if (bias.IsEmpty) c.Slice(i * ldc, n).Clear(); else bias[..n].CopyTo(c.Slice(i * ldc, n)); }
            return;
        }
        ref T A = ref MemoryMarshal.GetReference(a);
        ref T B = ref MemoryMarshal.GetReference(b);
        ref T C = ref MemoryMarshal.GetReference(c);
        ref T bias0 = ref MemoryMarshal.GetReference(bias);
        bool hasBias = !bias.IsEmpty;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            Kernel<T, Vector512<T>, Vector512Ops<T>>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, m, k, n, accumulate, hasBias, ref bias0);
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
            Kernel<T, Vector256<T>, Vector256Ops<T>>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, m, k, n, accumulate, hasBias, ref bias0);
        else
            ScalarColumns(ref A, aRow, aCol, ref B, ldb, ref C, ldc, m, k, 0, n, accumulate, hasBias, ref bias0);
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
            for (int j = 0; j < n; j++) cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
        }
    }

    /// <summary>C(k×n) += Aᵀ · B where A is (m×k) and B is (m×n): a weight-gradient product (A read column-wise in place).</summary>
    public static void TransposedMatMulAdd<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, T[] scratch) where T : unmanaged, IFloatingPointIeee754<T>
        => TransposedMatMulAdd(a, k, b, n, c, n, m, k, n, scratch);

    /// <summary>
    /// C(k×n, stride ldc) += Aᵀ·B with A (m×k, row stride lda) and B (m×n, row stride ldb). When C is narrow (a few
    /// input columns) Cᵀ = Bᵀ·A is formed in <paramref name="scratch"/> (at least n·k) so the wide side runs along the vectors.
    /// </summary>
    public static void TransposedMatMulAdd<T>(ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, int m, int k, int n, T[] scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n >= 8 || k < 16 || scratch.Length < n * k) { Gemm(a, 1, lda, b, ldb, c, ldc, k, m, n, accumulate: true); return; }
        Span<T> cT = scratch.AsSpan(0, n * k);
        Gemm(b, 1, ldb, a, lda, cT, k, n, m, k, accumulate: false);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++) c[i * ldc + j] += cT[j * k + i];
    }

    /// <summary>Every row of C(m×n) = bias (n).</summary>
    public static void BroadcastRows<T>(ReadOnlySpan<T> bias, Span<T> c, int m)
    {
        int n = bias.Length;
        for (int i = 0; i < m; i++) bias.CopyTo(c.Slice(i * n, n));
    }

    /// <summary>sum += column sums of A(m×n) (row stride n).</summary>
    public static void AddColumnSums<T>(ReadOnlySpan<T> a, Span<T> sum, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = sum.Length;
        for (int i = 0; i < m; i++) TensorPrimitives.Add(sum, a.Slice(i * n, n), sum);
    }

    /// <summary>dst(n×m) = srcᵀ where src is (m×n).</summary>
    public static void Transpose<T>(ReadOnlySpan<T> src, Span<T> dst, int m, int n)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) dst[j * m + i] = src[i * n + j];
    }

    /// <summary>Register-tiled kernel; columns past the last whole vector go to the scalar loop.</summary>
    private static void Kernel<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, ref T C, int ldc, int m, int k, int n,
        bool accumulate, bool hasBias, ref T bias) where T : unmanaged, IFloatingPointIeee754<T> where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        // Depth block: a k-block × 4-vector panel of B should stay within ~32 KB of L1.
        int depth = Math.Max(16, 32768 / (4 * v * Unsafe.SizeOf<T>()));
        for (int p0 = 0; p0 < k; p0 += depth)
        {
            int p1 = Math.Min(k, p0 + depth);
            bool load = accumulate || p0 > 0;
            bool useBias = !load && hasBias;
            int j = 0;
            for (; j + 4 * v <= n; j += 4 * v)
            {
                int i = 0;
                for (; i + 4 <= m; i += 4) Tile4x4<T, TV, TOps>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, i, j, p0, p1, load, useBias, ref bias);
                for (; i < m; i++)
                    for (int q = 0; q < 4; q++) Tile1x1<T, TV, TOps>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, i, j + q * v, p0, p1, load, useBias, ref bias);
            }
            for (; j + 2 * v <= n; j += 2 * v)
            {
                int i = 0;
                for (; i + 4 <= m; i += 4) Tile4x2<T, TV, TOps>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, i, j, p0, p1, load, useBias, ref bias);
                for (; i < m; i++)
                    for (int q = 0; q < 2; q++) Tile1x1<T, TV, TOps>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, i, j + q * v, p0, p1, load, useBias, ref bias);
            }
            for (; j + v <= n; j += v)
            {
                int i = 0;
                for (; i + 4 <= m; i += 4) Tile4x1<T, TV, TOps>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, i, j, p0, p1, load, useBias, ref bias);
                for (; i < m; i++) Tile1x1<T, TV, TOps>(ref A, aRow, aCol, ref B, ldb, ref C, ldc, i, j, p0, p1, load, useBias, ref bias);
            }
            if (j < n)
            {
                ref T Ap = ref Unsafe.Add(ref A, p0 * aCol);
                ref T Bp = ref Unsafe.Add(ref B, p0 * ldb);
                ScalarColumns(ref Ap, aRow, aCol, ref Bp, ldb, ref C, ldc, m, p1 - p0, j, n, load, useBias, ref bias);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Start<T, TV, TOps>(ref T c, bool load, bool useBias, ref T bias) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
        => load ? TOps.Load(ref c) : useBias ? TOps.Load(ref bias) : TOps.Zero;

    private static void Tile4x4<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, ref T C, int ldc, int i, int j, int p0, int p1,
        bool load, bool useBias, ref T bias) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        ref T c0 = ref Unsafe.Add(ref C, i * ldc + j); ref T c1 = ref Unsafe.Add(ref c0, ldc);
        ref T c2 = ref Unsafe.Add(ref c1, ldc); ref T c3 = ref Unsafe.Add(ref c2, ldc);
        ref T bj = ref Unsafe.Add(ref bias, j);
        TV x00 = Start<T, TV, TOps>(ref c0, load, useBias, ref bj), x01 = Start<T, TV, TOps>(ref Unsafe.Add(ref c0, v), load, useBias, ref Unsafe.Add(ref bj, v));
        TV x02 = Start<T, TV, TOps>(ref Unsafe.Add(ref c0, 2 * v), load, useBias, ref Unsafe.Add(ref bj, 2 * v)), x03 = Start<T, TV, TOps>(ref Unsafe.Add(ref c0, 3 * v), load, useBias, ref Unsafe.Add(ref bj, 3 * v));
        TV x10 = Start<T, TV, TOps>(ref c1, load, useBias, ref bj), x11 = Start<T, TV, TOps>(ref Unsafe.Add(ref c1, v), load, useBias, ref Unsafe.Add(ref bj, v));
        TV x12 = Start<T, TV, TOps>(ref Unsafe.Add(ref c1, 2 * v), load, useBias, ref Unsafe.Add(ref bj, 2 * v)), x13 = Start<T, TV, TOps>(ref Unsafe.Add(ref c1, 3 * v), load, useBias, ref Unsafe.Add(ref bj, 3 * v));
        TV x20 = Start<T, TV, TOps>(ref c2, load, useBias, ref bj), x21 = Start<T, TV, TOps>(ref Unsafe.Add(ref c2, v), load, useBias, ref Unsafe.Add(ref bj, v));
        TV x22 = Start<T, TV, TOps>(ref Unsafe.Add(ref c2, 2 * v), load, useBias, ref Unsafe.Add(ref bj, 2 * v)), x23 = Start<T, TV, TOps>(ref Unsafe.Add(ref c2, 3 * v), load, useBias, ref Unsafe.Add(ref bj, 3 * v));
        TV x30 = Start<T, TV, TOps>(ref c3, load, useBias, ref bj), x31 = Start<T, TV, TOps>(ref Unsafe.Add(ref c3, v), load, useBias, ref Unsafe.Add(ref bj, v));
        TV x32 = Start<T, TV, TOps>(ref Unsafe.Add(ref c3, 2 * v), load, useBias, ref Unsafe.Add(ref bj, 2 * v)), x33 = Start<T, TV, TOps>(ref Unsafe.Add(ref c3, 3 * v), load, useBias, ref Unsafe.Add(ref bj, 3 * v));
        ref T a0 = ref Unsafe.Add(ref A, i * aRow);
        for (int p = p0; p < p1; p++)
        {
            ref T bp = ref Unsafe.Add(ref B, p * ldb + j);
            TV b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v)), b2 = TOps.Load(ref Unsafe.Add(ref bp, 2 * v)), b3 = TOps.Load(ref Unsafe.Add(ref bp, 3 * v));
            ref T ap = ref Unsafe.Add(ref a0, p * aCol);
            TV u = TOps.Broadcast(ap);
            x00 = TOps.MultiplyAdd(u, b0, x00); x01 = TOps.MultiplyAdd(u, b1, x01); x02 = TOps.MultiplyAdd(u, b2, x02); x03 = TOps.MultiplyAdd(u, b3, x03);
            u = TOps.Broadcast(Unsafe.Add(ref ap, aRow));
            x10 = TOps.MultiplyAdd(u, b0, x10); x11 = TOps.MultiplyAdd(u, b1, x11); x12 = TOps.MultiplyAdd(u, b2, x12); x13 = TOps.MultiplyAdd(u, b3, x13);
            u = TOps.Broadcast(Unsafe.Add(ref ap, 2 * aRow));
            x20 = TOps.MultiplyAdd(u, b0, x20); x21 = TOps.MultiplyAdd(u, b1, x21); x22 = TOps.MultiplyAdd(u, b2, x22); x23 = TOps.MultiplyAdd(u, b3, x23);
            u = TOps.Broadcast(Unsafe.Add(ref ap, 3 * aRow));
            x30 = TOps.MultiplyAdd(u, b0, x30); x31 = TOps.MultiplyAdd(u, b1, x31); x32 = TOps.MultiplyAdd(u, b2, x32); x33 = TOps.MultiplyAdd(u, b3, x33);
        }
        TOps.Store(x00, ref c0); TOps.Store(x01, ref Unsafe.Add(ref c0, v)); TOps.Store(x02, ref Unsafe.Add(ref c0, 2 * v)); TOps.Store(x03, ref Unsafe.Add(ref c0, 3 * v));
        TOps.Store(x10, ref c1); TOps.Store(x11, ref Unsafe.Add(ref c1, v)); TOps.Store(x12, ref Unsafe.Add(ref c1, 2 * v)); TOps.Store(x13, ref Unsafe.Add(ref c1, 3 * v));
        TOps.Store(x20, ref c2); TOps.Store(x21, ref Unsafe.Add(ref c2, v)); TOps.Store(x22, ref Unsafe.Add(ref c2, 2 * v)); TOps.Store(x23, ref Unsafe.Add(ref c2, 3 * v));
        TOps.Store(x30, ref c3); TOps.Store(x31, ref Unsafe.Add(ref c3, v)); TOps.Store(x32, ref Unsafe.Add(ref c3, 2 * v)); TOps.Store(x33, ref Unsafe.Add(ref c3, 3 * v));
    }

    private static void Tile4x2<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, ref T C, int ldc, int i, int j, int p0, int p1,
        bool load, bool useBias, ref T bias) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        int v = TOps.Count;
        ref T c0 = ref Unsafe.Add(ref C, i * ldc + j); ref T c1 = ref Unsafe.Add(ref c0, ldc);
        ref T c2 = ref Unsafe.Add(ref c1, ldc); ref T c3 = ref Unsafe.Add(ref c2, ldc);
        ref T bj = ref Unsafe.Add(ref bias, j); ref T bj1 = ref Unsafe.Add(ref bj, v);
        TV x00 = Start<T, TV, TOps>(ref c0, load, useBias, ref bj), x01 = Start<T, TV, TOps>(ref Unsafe.Add(ref c0, v), load, useBias, ref bj1);
        TV x10 = Start<T, TV, TOps>(ref c1, load, useBias, ref bj), x11 = Start<T, TV, TOps>(ref Unsafe.Add(ref c1, v), load, useBias, ref bj1);
        TV x20 = Start<T, TV, TOps>(ref c2, load, useBias, ref bj), x21 = Start<T, TV, TOps>(ref Unsafe.Add(ref c2, v), load, useBias, ref bj1);
        TV x30 = Start<T, TV, TOps>(ref c3, load, useBias, ref bj), x31 = Start<T, TV, TOps>(ref Unsafe.Add(ref c3, v), load, useBias, ref bj1);
        ref T a0 = ref Unsafe.Add(ref A, i * aRow);
        for (int p = p0; p < p1; p++)
        {
            ref T bp = ref Unsafe.Add(ref B, p * ldb + j);
            TV b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v));
            ref T ap = ref Unsafe.Add(ref a0, p * aCol);
            TV u0 = TOps.Broadcast(ap), u1 = TOps.Broadcast(Unsafe.Add(ref ap, aRow));
            TV u2 = TOps.Broadcast(Unsafe.Add(ref ap, 2 * aRow)), u3 = TOps.Broadcast(Unsafe.Add(ref ap, 3 * aRow));
            x00 = TOps.MultiplyAdd(u0, b0, x00); x01 = TOps.MultiplyAdd(u0, b1, x01);
            x10 = TOps.MultiplyAdd(u1, b0, x10); x11 = TOps.MultiplyAdd(u1, b1, x11);
            x20 = TOps.MultiplyAdd(u2, b0, x20); x21 = TOps.MultiplyAdd(u2, b1, x21);
            x30 = TOps.MultiplyAdd(u3, b0, x30); x31 = TOps.MultiplyAdd(u3, b1, x31);
        }
        TOps.Store(x00, ref c0); TOps.Store(x01, ref Unsafe.Add(ref c0, v));
        TOps.Store(x10, ref c1); TOps.Store(x11, ref Unsafe.Add(ref c1, v));
        TOps.Store(x20, ref c2); TOps.Store(x21, ref Unsafe.Add(ref c2, v));
        TOps.Store(x30, ref c3); TOps.Store(x31, ref Unsafe.Add(ref c3, v));
    }

    private static void Tile4x1<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, ref T C, int ldc, int i, int j, int p0, int p1,
        bool load, bool useBias, ref T bias) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        ref T c0 = ref Unsafe.Add(ref C, i * ldc + j); ref T c1 = ref Unsafe.Add(ref c0, ldc);
        ref T c2 = ref Unsafe.Add(ref c1, ldc); ref T c3 = ref Unsafe.Add(ref c2, ldc);
        ref T bj = ref Unsafe.Add(ref bias, j);
        TV x0 = Start<T, TV, TOps>(ref c0, load, useBias, ref bj), x1 = Start<T, TV, TOps>(ref c1, load, useBias, ref bj);
        TV x2 = Start<T, TV, TOps>(ref c2, load, useBias, ref bj), x3 = Start<T, TV, TOps>(ref c3, load, useBias, ref bj);
        ref T a0 = ref Unsafe.Add(ref A, i * aRow);
        for (int p = p0; p < p1; p++)
        {
            TV b0 = TOps.Load(ref Unsafe.Add(ref B, p * ldb + j));
            ref T ap = ref Unsafe.Add(ref a0, p * aCol);
            x0 = TOps.MultiplyAdd(TOps.Broadcast(ap), b0, x0);
            x1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, aRow)), b0, x1);
            x2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 2 * aRow)), b0, x2);
            x3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 3 * aRow)), b0, x3);
        }
        TOps.Store(x0, ref c0); TOps.Store(x1, ref c1); TOps.Store(x2, ref c2); TOps.Store(x3, ref c3);
    }

    private static void Tile1x1<T, TV, TOps>(ref T A, int aRow, int aCol, ref T B, int ldb, ref T C, int ldc, int i, int j, int p0, int p1,
        bool load, bool useBias, ref T bias) where T : unmanaged where TV : struct where TOps : IVectorOps<T, TV>
    {
        ref T c0 = ref Unsafe.Add(ref C, i * ldc + j);
        TV x0 = Start<T, TV, TOps>(ref c0, load, useBias, ref Unsafe.Add(ref bias, j));
        ref T a0 = ref Unsafe.Add(ref A, i * aRow);
        for (int p = p0; p < p1; p++)
            x0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a0, p * aCol)), TOps.Load(ref Unsafe.Add(ref B, p * ldb + j)), x0);
        TOps.Store(x0, ref c0);
    }

    /// <summary>Columns j0..n-1 one at a time (narrow products and the tail past the last whole vector).</summary>
    private static void ScalarColumns<T>(ref T A, int aRow, int aCol, ref T B, int ldb, ref T C, int ldc, int m, int k, int j0, int n,
        bool load, bool useBias, ref T bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            ref T a0 = ref Unsafe.Add(ref A, i * aRow);
            for (int j = j0; j < n; j++)
            {
                ref T cij = ref Unsafe.Add(ref C, i * ldc + j);
                T s = load ? cij : useBias ? Unsafe.Add(ref bias, j) : T.Zero;
                for (int p = 0; p < k; p++) s = T.FusedMultiplyAdd(Unsafe.Add(ref a0, p * aCol), Unsafe.Add(ref B, p * ldb + j), s);
                cij = s;
            }
        }
    }
}
