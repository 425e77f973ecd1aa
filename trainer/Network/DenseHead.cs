using System.Numerics;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Network;

/// <summary>The dense output layer y = W·f + b (PyTorch nn.Linear, head.weight (O × F), head.bias (O)), in float or double.</summary>
public sealed class DenseHead<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _w, _b, _gW, _gB, _scratch;

    public DenseHead(T[] weight, T[] bias, T[] weightGradient, T[] biasGradient, int inputs, int outputs)
    {
        (_w, _b, _gW, _gB) = (weight, bias, weightGradient, biasGradient);
        Inputs = inputs;
        Outputs = outputs;
        _scratch = new T[inputs * outputs];
    }

    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>y (rows × O) = f (rows × F) · Wᵀ + b.</summary>
    public void Forward(ReadOnlySpan<T> f, Span<T> y, int rows)
    {
        Blas.BroadcastRows<T>(_b, y, rows);
        Blas.MatMulTransposedAdd(f, _w, y, rows, Inputs, Outputs);
    }

    /// <summary>
    /// Accumulates dW, db and adds dL/df into <paramref name="df"/>; with <paramref name="overwrite"/> writes dL/df there instead
    /// (a zero-start product: fma(dy, w, +0) as into a cleared buffer, the same bits without the clear).
    /// </summary>
    public void Backward(ReadOnlySpan<T> f, ReadOnlySpan<T> dy, Span<T> df, int rows, bool overwrite = false)
    {
        Blas.TransposedMatMulAdd(dy[..(rows * Outputs)], f[..(rows * Inputs)], _gW, rows, Outputs, Inputs, _scratch);
        Blas.AddColumnSums(dy[..(rows * Outputs)], _gB, rows);
        if (overwrite) Blas.Gemm<T>(dy, Outputs, 1, _w, Inputs, df, Inputs, rows, Outputs, Inputs, GemmStart.Zero, default, 0, default);
        else Blas.MatMulAdd(dy[..(rows * Outputs)], _w, df, rows, Outputs, Inputs);
    }
}
