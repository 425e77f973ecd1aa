namespace Embedded.Firmware
{
    /// <summary>Builds a runner from a validated image (the production factory parses it with ModelImage).</summary>
    public interface IModelRunnerFactory
    {
        IModelRunner Create(byte[] image);
    }
}
