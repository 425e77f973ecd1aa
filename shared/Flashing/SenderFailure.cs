namespace Embedded.Shared.Flashing
{
    /// <summary>Why a transfer failed, in the terms the `flash` command reports to the user.</summary>
    public enum SenderFailure
    {
        None = 0,
        /// <summary>No valid reply to Hello at all: wrong port, device off, or firmware without the receiver.</summary>
        NoDevice = 1,
        /// <summary>The firmware speaks a different protocol version.</summary>
        VersionMismatch = 2,
        /// <summary>The model exceeds the device's maximum size.</summary>
        TooLarge = 3,
        /// <summary>The device holds a key and no tag was given (or the tag was refused).</summary>
        AuthRefused = 4,
        /// <summary>The device answered with an error (CRC, validation, storage...).</summary>
        DeviceError = 5,
        /// <summary>A request went unanswered after every retry.</summary>
        RetriesExhausted = 6,
        /// <summary>The device kept answering without the transfer moving forward (Naks, or past the overall deadline).</summary>
        Stalled = 7,
    }
}
