using Embedded.Shared.Model;

namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// Optional on an <see cref="IKernel"/>: a kernel that normalises the input itself (e.g. vectorised),
    /// bit-exact with the portable <see cref="Embedded.Shared.Layers.InputNormaliser"/>.
    /// </summary>
    public interface INormaliserKernel
    {
        /// <summary>The kernel's normaliser for this model, or null to fall back to the portable one.</summary>
        IInputNormaliser CreateNormaliser(ModelImage model);
    }
}
