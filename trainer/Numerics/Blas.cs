using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Embedded.Trainer.Numerics;

/// <summary>
/// The few dense kernels training needs, row-major. Each accumulates into its destination (C += ...), so biases
/// and gradient sums need no extra pass. The products share one register-blocked kernel: two rows of C and
/// sixteen columns are held in vector registers while the inner dimension streams through. No allocation.
/// </summary>
internal static class Blas
{
    /// <summary>C(m×n) += A(m×k) · B(k×n).</summary>
    public static void MatMulAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
        => Kernel(a, k, 1, b, c, m, k, n);

    /// <summary>C(k×n) += Aᵀ · B where A is (m×k) and B is (m×n): the weight-gradient product (A read column-wise in place).</summary>
    public static void TransposedMatMulAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        if (n >= 16 || k < 16) { Kernel(a, 1, k, b, c, k, m, n); return; }
        // Narrow C (e.g. W_ih with 4 inputs): form Cᵀ = Bᵀ·A so the wide side runs along the vector registers.
        if (_scratch is null || _scratch.Length < n * k) _scratch = new double[Math.Max(n * k, 256)];
        Span<double> cT = _scratch.AsSpan(0, n * k);
        cT.Clear();
        Kernel(b, 1, n, a, cT, n, m, k);
        AddTransposed(cT, c, k, n);
    }

    [ThreadStatic] private static double[]? _scratch;

    /// <summary>C(m×n) += A(m×k) · Bᵀ where B is (n×k): m·n dot products of length k (for small n such as a head).</summary>
    public static void MatMulTransposedAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> aRow = a.Slice(i * k, k);
            Span<double> cRow = c.Slice(i * n, n);
            for (int j = 0; j < n; j++) cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
        }
    }

    private const int DepthBlock = 256;   // rows of B per pass: a 256×16 panel (32 KB) stays in L1 across all rows of A

    /// <summary>
    /// C[i, j] += Σ_p A[i·lda + p·step] · B[p·n + j], B (k×n) and C (m×n) row-major (step = 1: A row-major; lda = 1:
    /// A stored transposed). Blocked over p and over 16-column panels of B, with a 2×16 register tile of C, so each
    /// panel of B is loaded from L1 for every row pair of A.
    /// </summary>
    private static void Kernel(ReadOnlySpan<double> a, int lda, int step, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        if (m == 0 || n == 0 || k == 0) return;
        if (!Vector256.IsHardwareAccelerated || n < 4) { Scalar(a, lda, step, b, c, m, k, n); return; }
        ref double A = ref MemoryMarshal.GetReference(a);
        ref double B = ref MemoryMarshal.GetReference(b);
        ref double C = ref MemoryMarshal.GetReference(c);
        for (int p0 = 0; p0 < k; p0 += DepthBlock)
        {
            int p1 = Math.Min(k, p0 + DepthBlock);
            int j = 0;
            for (; j + 16 <= n; j += 16)
            {
                int i = 0;
                for (; i + 1 < m; i += 2)
                {
                    ref double c0 = ref Unsafe.Add(ref C, i * n + j);
                    ref double c1 = ref Unsafe.Add(ref C, (i + 1) * n + j);
                    ref double r0 = ref Unsafe.Add(ref A, i * lda);
                    ref double r1 = ref Unsafe.Add(ref A, (i + 1) * lda);
                    var x0 = Vector256.LoadUnsafe(ref c0); var x1 = Vector256.LoadUnsafe(ref c0, 4);
                    var x2 = Vector256.LoadUnsafe(ref c0, 8); var x3 = Vector256.LoadUnsafe(ref c0, 12);
                    var y0 = Vector256.LoadUnsafe(ref c1); var y1 = Vector256.LoadUnsafe(ref c1, 4);
                    var y2 = Vector256.LoadUnsafe(ref c1, 8); var y3 = Vector256.LoadUnsafe(ref c1, 12);
                    for (int p = p0; p < p1; p++)
                    {
                        ref double bp = ref Unsafe.Add(ref B, p * n + j);
                        var b0 = Vector256.LoadUnsafe(ref bp); var b1 = Vector256.LoadUnsafe(ref bp, 4);
                        var b2 = Vector256.LoadUnsafe(ref bp, 8); var b3 = Vector256.LoadUnsafe(ref bp, 12);
                        var u = Vector256.Create(Unsafe.Add(ref r0, p * step));
                        var v = Vector256.Create(Unsafe.Add(ref r1, p * step));
                        x0 = Vector256.FusedMultiplyAdd(u, b0, x0); x1 = Vector256.FusedMultiplyAdd(u, b1, x1);
                        x2 = Vector256.FusedMultiplyAdd(u, b2, x2); x3 = Vector256.FusedMultiplyAdd(u, b3, x3);
                        y0 = Vector256.FusedMultiplyAdd(v, b0, y0); y1 = Vector256.FusedMultiplyAdd(v, b1, y1);
                        y2 = Vector256.FusedMultiplyAdd(v, b2, y2); y3 = Vector256.FusedMultiplyAdd(v, b3, y3);
                    }
                    x0.StoreUnsafe(ref c0); x1.StoreUnsafe(ref c0, 4); x2.StoreUnsafe(ref c0, 8); x3.StoreUnsafe(ref c0, 12);
                    y0.StoreUnsafe(ref c1); y1.StoreUnsafe(ref c1, 4); y2.StoreUnsafe(ref c1, 8); y3.StoreUnsafe(ref c1, 12);
                }
                if (i < m)
                {
                    ref double c0 = ref Unsafe.Add(ref C, i * n + j);
                    ref double r0 = ref Unsafe.Add(ref A, i * lda);
                    var x0 = Vector256.LoadUnsafe(ref c0); var x1 = Vector256.LoadUnsafe(ref c0, 4);
                    var x2 = Vector256.LoadUnsafe(ref c0, 8); var x3 = Vector256.LoadUnsafe(ref c0, 12);
                    for (int p = p0; p < p1; p++)
                    {
                        ref double bp = ref Unsafe.Add(ref B, p * n + j);
                        var u = Vector256.Create(Unsafe.Add(ref r0, p * step));
                        x0 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref bp), x0);
                        x1 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref bp, 4), x1);
                        x2 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref bp, 8), x2);
                        x3 = Vector256.FusedMultiplyAdd(u, Vector256.LoadUnsafe(ref bp, 12), x3);
                    }
                    x0.StoreUnsafe(ref c0); x1.StoreUnsafe(ref c0, 4); x2.StoreUnsafe(ref c0, 8); x3.StoreUnsafe(ref c0, 12);
                }
            }
            for (; j + 4 <= n; j += 4)
                for (int i = 0; i < m; i++)
                {
                    ref double c0 = ref Unsafe.Add(ref C, i * n + j);
                    ref double r0 = ref Unsafe.Add(ref A, i * lda);
                    var x0 = Vector256.LoadUnsafe(ref c0);
                    for (int p = p0; p < p1; p++)
                        x0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref r0, p * step)), Vector256.LoadUnsafe(ref Unsafe.Add(ref B, p * n + j)), x0);
                    x0.StoreUnsafe(ref c0);
                }
            for (; j < n; j++)
                for (int i = 0; i < m; i++)
                {
                    ref double r0 = ref Unsafe.Add(ref A, i * lda);
                    double s0 = Unsafe.Add(ref C, i * n + j);
                    for (int p = p0; p < p1; p++) s0 = Math.FusedMultiplyAdd(Unsafe.Add(ref r0, p * step), Unsafe.Add(ref B, p * n + j), s0);
                    Unsafe.Add(ref C, i * n + j) = s0;
                }
        }
    }

    private static void Scalar(ReadOnlySpan<double> a, int lda, int step, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = c[i * n + j];
                for (int p = 0; p < k; p++) s += a[i * lda + p * step] * b[p * n + j];
                c[i * n + j] = s;
            }
    }

    /// <summary>Every row of C(m×n) = bias (n).</summary>
    public static void BroadcastRows(ReadOnlySpan<double> bias, Span<double> c, int m)
    {
        int n = bias.Length;
        for (int i = 0; i < m; i++) bias.CopyTo(c.Slice(i * n, n));
    }

    /// <summary>sum += column sums of A(m×n).</summary>
    public static void AddColumnSums(ReadOnlySpan<double> a, Span<double> sum, int m)
    {
        int n = sum.Length;
        for (int i = 0; i < m; i++) TensorPrimitives.Add(sum, a.Slice(i * n, n), sum);
    }

    /// <summary>dst(n×m) = srcᵀ where src is (m×n).</summary>
    public static void Transpose(ReadOnlySpan<double> src, Span<double> dst, int m, int n)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) dst[j * m + i] = src[i * n + j];
    }

    /// <summary>dst(m×n) += srcᵀ where src is (n×m).</summary>
    public static void AddTransposed(ReadOnlySpan<double> src, Span<double> dst, int m, int n)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) dst[i * n + j] += src[j * m + i];
    }
}
