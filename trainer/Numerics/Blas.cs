using System.Numerics.Tensors;

namespace Embedded.Trainer.Numerics;

/// <summary>
/// The few dense kernels training needs, row-major, vectorised through TensorPrimitives. Each accumulates
/// into its destination (C += ...), so biases and gradient sums need no extra pass. No allocation.
/// </summary>
internal static class Blas
{
    /// <summary>C(m×n) += A(m×k) · B(k×n). Rows of B are long vectors, so this is m·k axpys of length n; zero a-values are skipped (one-hot inputs).</summary>
    public static void MatMulAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            Span<double> cRow = c.Slice(i * n, n);
            ReadOnlySpan<double> aRow = a.Slice(i * k, k);
            for (int p = 0; p < k; p++)
            {
                double v = aRow[p];
                if (v == 0) continue;
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), v, cRow, cRow);
            }
        }
    }

    /// <summary>C(m×n) += A(m×k) · Bᵀ where B is (n×k): m·n dot products of length k.</summary>
    public static void MatMulTransposedAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> aRow = a.Slice(i * k, k);
            Span<double> cRow = c.Slice(i * n, n);
            for (int j = 0; j < n; j++) cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
        }
    }

    /// <summary>C(k×n) += Aᵀ · B where A is (m×k) and B is (m×n): the weight-gradient product, m·k axpys of length n.</summary>
    public static void TransposedMatMulAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> aRow = a.Slice(i * k, k);
            ReadOnlySpan<double> bRow = b.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                double v = aRow[p];
                if (v == 0) continue;
                Span<double> cRow = c.Slice(p * n, n);
                TensorPrimitives.MultiplyAdd(bRow, v, cRow, cRow);
            }
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
