using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Firmware
{
    /// <summary>Parses an image with <see cref="ModelImage.Parse"/> and wraps it in a <see cref="ModelRunner"/>.</summary>
    public sealed class ModelRunnerFactory : IModelRunnerFactory
    {
        private readonly IKernel _kernel;

        /// <summary>Runners on the portable kernel, every int8 matrix packed.</summary>
        public ModelRunnerFactory()
            : this(PortableKernel.Instance)
        {
        }

        /// <summary>Runners on the given kernel (the firmware passes one with its RAM budget).</summary>
        public ModelRunnerFactory(IKernel kernel)
        {
            _kernel = kernel;
        }

        public IModelRunner Create(byte[] image)
        {
            return new ModelRunner(ModelImage.Parse(image), _kernel);
        }
    }
}
