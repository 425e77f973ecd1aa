using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// The device's self-test: <see cref="ModelImage.Parse"/> (format and CRC-32) then
    /// <see cref="Predictor.CountGoldenMismatches"/> must be 0.
    /// </summary>
    public sealed class GoldenVectorValidator : IModelValidator
    {
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
            int mismatches = Predictor.CountGoldenMismatches(model);
            if (mismatches != 0)
            {
                return "golden vectors: " + mismatches.ToString() + " of the stored outputs differ";
            }
            return null;
        }
    }
}
