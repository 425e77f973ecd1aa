using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// Optional on an <see cref="IKernel"/>: a kernel that runs a whole recurrent layer step itself
    /// (matrix products, requantisation and gates fused), bit-exact with the portable layers.
    /// </summary>
    public interface ILayerKernel
    {
        /// <summary>The fused layer, or null to fall back to the portable layer over this kernel's products.</summary>
        RecurrentLayer CreateLayer(CellType cell, RecurrentLayerParameters parameters, int hidden);
    }
}
