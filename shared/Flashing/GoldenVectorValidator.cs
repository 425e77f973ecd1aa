using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// The device's self-test: <see cref="ModelImage.Parse"/> (format and CRC-32) then
    /// <see cref="Predictor.CountGoldenMismatches"/> must be 0, on the kernel the device will run it on, and
    /// the detector section must fit the model (<see cref="Embedded.Shared.Detection.StreamMonitor.ModelDetector"/>).
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
            // The detector must fit the model (its channels are the forecast's outputs, which are inputs too):
            // a model that would throw on its first sample is refused here, and the installed one keeps running.
            try
            {
                Embedded.Shared.Detection.AnomalyDetector detector = Embedded.Shared.Detection.StreamMonitor.ModelDetector(model);
                if (detector != null && detector.Channels != model.OutputCount)
                {
                    return "detector: watches " + detector.Channels.ToString() + " channel(s), the model forecasts " + model.OutputCount.ToString();
                }
            }
            catch (ModelFormatException e)
            {
                return "detector: " + e.Message;
            }
            catch (System.ArgumentException e)
            {
                return "detector: " + e.Message;
            }
            return null;
        }
    }
}
