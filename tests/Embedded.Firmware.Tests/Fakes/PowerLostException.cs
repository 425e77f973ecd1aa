namespace Embedded.Firmware.Tests.Fakes;

/// <summary>Thrown by <see cref="MemoryFileStore"/> once the simulated power is gone.</summary>
internal sealed class PowerLostException : IOException
{
    public PowerLostException() : base("power lost") { }
}
