namespace Embedded.Shared.Flashing
{
    /// <summary>Why the device did not apply a request it could otherwise handle; the PC resumes from the offset in the Nak.</summary>
    public enum NakReason : byte
    {
        /// <summary>A Data frame arrived for an offset past the next expected one (an earlier chunk was lost).</summary>
        Gap = 1,
        /// <summary>End arrived before all bytes were received.</summary>
        Incomplete = 2,
    }
}
