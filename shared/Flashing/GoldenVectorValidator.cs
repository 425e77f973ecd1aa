using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// The device's self-test: <see cref="ModelImage.Parse"/> (format and CRC-32) then
    /// <see cref="Predictor.CountGoldenMismatches"/> must be 0, on the kernel the device will run it on.
    /// </summary>
    public sealed class GoldenVectorValidator : IModelValidator
    {
        private readonly IKernel _kernel;

        public GoldenVectorValidator()
            : this(PortableKernel.Instance)
        {
        }

        public GoldenVectorValidator(IKernel kernel)
        {
            _kernel = kernel;
        }

        public string Validate(byte[] image)
        {
            ModelImage model;
            try
            {
                model = ModelImage.Parse(image);
            }
            catch (ModelFormatException e)
            {
                return "bad model: " + e.Message;
            }
            int mismatches = Predictor.CountGoldenMismatches(model, _kernel);
            if (mismatches != 0)
            {
                return "golden vectors: " + mismatches.ToString() + " of the stored outputs differ";
            }
            return null;
        }
    }
}
