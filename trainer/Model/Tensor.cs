namespace Embedded.Trainer.Model;

/// <summary>A dense row-major double tensor: the unit of a checkpoint and of safetensors import/export.</summary>
public sealed class Tensor
{
    public Tensor(int[] shape, double[]? data = null)
    {
        Shape = shape;
        int n = 1;
        foreach (int d in shape) n *= d;
        Data = data ?? new double[n];
        if (Data.Length != n) throw new ArgumentException($"tensor data has {Data.Length} values, shape needs {n}");
    }

    public int[] Shape { get; }
    public double[] Data { get; }
    public int Rows => Shape.Length > 0 ? Shape[0] : 1;
    public int Cols => Shape.Length > 1 ? Shape[1] : 1;
}
