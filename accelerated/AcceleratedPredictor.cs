using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>Convenience: a <see cref="Predictor"/> on the accelerated kernel.</summary>
public static class AcceleratedPredictor
{
    public static Predictor Create(ModelImage model) => new(model, AcceleratedKernel.Instance);

    /// <summary>Golden-vector self-test on the accelerated kernel.</summary>
    public static int CountGoldenMismatches(ModelImage model) => Predictor.CountGoldenMismatches(model, AcceleratedKernel.Instance);
}
