using Embedded.Shared.Model;

namespace Embedded.Firmware
{
    /// <summary>Parses an image with <see cref="ModelImage.Parse"/> and wraps it in a <see cref="ModelRunner"/>.</summary>
    public sealed class ModelRunnerFactory : IModelRunnerFactory
    {
        public IModelRunner Create(byte[] image)
        {
            return new ModelRunner(ModelImage.Parse(image));
        }
    }
}
