namespace Embedded.Edge.Simulation;

/// <summary>Bus-level failures a simulated chip can be told to produce.</summary>
public enum I2cFault
{
    /// <summary>The chip answers normally.</summary>
    None,

    /// <summary>The chip does not acknowledge its address: the transfer fails at once with an IOException.</summary>
    Nack,

    /// <summary>The chip holds the bus: the transfer fails with an IOException after <see cref="SimulatedI2cDevice.TimeoutDelay"/>.</summary>
    Timeout,
}
