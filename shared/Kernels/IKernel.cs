using Embedded.Shared.Model;

namespace Embedded.Shared.Kernels
{
    /// <summary>Makes the matrix-vector product for each matrix of a model once, at load time.</summary>
    public interface IKernel
    {
        IMatVec Create(QuantizedMatrix matrix);
    }
}
