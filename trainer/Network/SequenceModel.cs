using Embedded.Trainer.Model;

namespace Embedded.Trainer.Network;

/// <summary>Arithmetic of the forward and backward passes. The model's parameters, the optimizer and the losses stay double.</summary>
public enum ComputePrecision
{
    /// <summary>Single precision: twice the SIMD width, the default for training.</summary>
    Float32,
    /// <summary>Double precision: for gradient checks and bit-for-bit comparisons with PyTorch in float64.</summary>
    Float64,
}

/// <summary>
/// A <see cref="FloatModel"/> ready for batched forward and backward passes: the recurrent stack, the dense head and
/// a gradient tensor per parameter (same names and shapes, double). Two read-outs: many-to-many (head on every time
/// step: forecasting, next symbol) and many-to-one (head on the last step; bidirectional models use the forward half
/// at the last step and the reverse half at the first, i.e. each direction's final state).
/// With <see cref="ComputePrecision.Float32"/> the passes run on float copies of the weights (refreshed by
/// <see cref="ParametersChanged"/>) and the gradients are handed back in double, so the optimizer keeps double master weights.
/// </summary>
public sealed class SequenceModel
{
    private readonly SequenceCore _core;

    /// <param name="fastMath">
    /// Lets the general LSTM path (H not a whole number of vectors, CPUs without 256-bit vectors) take the library's sigmoid and
    /// tanh instead of the fused pass's operations: faster where fma runs in software (x64 without FMA), but the bits then
    /// follow the CPU (issue 17 item 5: off by default).
    /// </param>
    public SequenceModel(FloatModel model, ComputePrecision precision = ComputePrecision.Float64, bool fastMath = false)
    {
        FloatModelFactory.Validate(model, "model");
        Model = model;
        Precision = precision;
        ParameterNames = FloatModelFactory.ParameterNames(model).ToArray();
        Gradients = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (string name in ParameterNames) Gradients[name] = new Tensor((int[])model[name].Shape.Clone());
        _core = precision == ComputePrecision.Float32
            ? new SequenceCore<float>(model, ParameterNames, Gradients, fastMath)
            : new SequenceCore<double>(model, ParameterNames, Gradients, fastMath);
    }

    public FloatModel Model { get; }
    public ComputePrecision Precision { get; }
    public RecurrentNetwork Network => _core.Network;
    public Dictionary<string, Tensor> Gradients { get; }
    public string[] ParameterNames { get; }
    public int Outputs => Model.OutputSize;

    public void ZeroGradients()
    {
        foreach (var g in Gradients.Values) Array.Clear(g.Data);
        _core.ZeroGradients();
    }

    /// <summary>Call after changing parameter values in place (optimizer step, loading weights).</summary>
    public void ParametersChanged() => _core.ParametersChanged();

    /// <summary>Head applied at every step: returns y (T·B × O), time-major.</summary>
    public ReadOnlySpan<double> ForwardAll(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial = null)
        => _core.ForwardAll(x, steps, batch, initial);

    /// <summary>Backward for <see cref="ForwardAll"/>: dY (T·B × O); dFinal optionally the gradient of the final state.</summary>
    public void BackwardAll(ReadOnlySpan<double> dY, RecurrentState? dFinal = null, bool inputGradient = false, RecurrentState? initialGradient = null)
        => _core.BackwardAll(dY, dFinal, inputGradient, initialGradient);

    /// <summary>Head applied to the final state only: returns y (B × O).</summary>
    public ReadOnlySpan<double> ForwardLast(ReadOnlyMemory<double> x, int steps, int batch, RecurrentState? initial = null)
        => _core.ForwardLast(x, steps, batch, initial);

    /// <summary>Backward for <see cref="ForwardLast"/>: dY (B × O).</summary>
    public void BackwardLast(ReadOnlySpan<double> dY) => _core.BackwardLast(dY);
}
