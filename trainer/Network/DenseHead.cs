using Embedded.Trainer.Model;
using Embedded.Trainer.Numerics;

namespace Embedded.Trainer.Network;

/// <summary>The dense output layer y = W·f + b (PyTorch nn.Linear, head.weight (O × F), head.bias (O)).</summary>
public sealed class DenseHead
{
    private readonly double[] _w, _b, _gW, _gB;

    public DenseHead(FloatModel model, IDictionary<string, Tensor> gradients)
    {
        _w = model["head.weight"].Data;
        _b = model["head.bias"].Data;
        _gW = gradients["head.weight"].Data;
        _gB = gradients["head.bias"].Data;
        Outputs = model.OutputSize;
        Inputs = model.HiddenSize * model.Directions;
    }

    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>y (rows × O) = f (rows × F) · Wᵀ + b.</summary>
    public void Forward(ReadOnlySpan<double> f, Span<double> y, int rows)
    {
        Blas.BroadcastRows(_b, y, rows);
        Blas.MatMulTransposedAdd(f, _w, y, rows, Inputs, Outputs);
    }

    /// <summary>Accumulates dW, db and adds dL/df into <paramref name="df"/>.</summary>
    public void Backward(ReadOnlySpan<double> f, ReadOnlySpan<double> dy, Span<double> df, int rows)
    {
        Blas.TransposedMatMulAdd(dy[..(rows * Outputs)], f[..(rows * Inputs)], _gW, rows, Outputs, Inputs);
        Blas.AddColumnSums(dy[..(rows * Outputs)], _gB, rows);
        Blas.MatMulAdd(dy[..(rows * Outputs)], _w, df, rows, Outputs, Inputs);
    }
}
