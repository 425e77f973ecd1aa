namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Decides whether a model image may run: the production implementation (<see cref="GoldenVectorValidator"/>)
    /// parses it (which checks the CRC) and runs its golden vectors; tests inject simpler rules.
    /// </summary>
    public interface IModelValidator
    {
        /// <summary>Returns null when the image is good, otherwise a short reason.</summary>
        string Validate(byte[] image);
    }
}
