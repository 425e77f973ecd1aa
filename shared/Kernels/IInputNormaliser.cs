namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// Turns one sample of raw inputs (InputFracBits) into the first layer's int16 input
    /// (NormalisedFracBits): the portable <see cref="Embedded.Shared.Layers.InputNormaliser"/>, or a
    /// kernel's own version of it, which must compute the same bits.
    /// </summary>
    public interface IInputNormaliser
    {
        /// <summary>Writes one normalised value per model input into <paramref name="normalised"/>.</summary>
        void Apply(int[] input, short[] normalised);
    }
}
