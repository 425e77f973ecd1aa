namespace Embedded.Shared.Flashing
{
    /// <summary>Error codes the device reports in an Error frame (docs/PROTOCOL.md).</summary>
    public enum FlashError : byte
    {
        None = 0,
        /// <summary>The PC speaks a protocol version this firmware does not.</summary>
        VersionMismatch = 1,
        /// <summary>The model is larger than the device accepts.</summary>
        TooLarge = 2,
        /// <summary>A request that makes no sense in the current state (e.g. Data without Begin).</summary>
        BadState = 3,
        /// <summary>Malformed request payload (bad length, zero size, chunk out of range).</summary>
        BadRequest = 4,
        /// <summary>The received bytes do not match the checksum (CRC-32C) announced in Begin.</summary>
        CrcMismatch = 5,
        /// <summary>The model failed to parse or its golden vectors did not reproduce.</summary>
        ValidationFailed = 6,
        /// <summary>The device holds a key and the model came without a tag.</summary>
        AuthRequired = 7,
        /// <summary>The tag did not verify against the device's key.</summary>
        AuthFailed = 8,
        /// <summary>Writing, reading back or renaming a file failed.</summary>
        StorageFailed = 9,
        /// <summary>The transfer stalled longer than the device's session timeout.</summary>
        Timeout = 10,
        /// <summary>The PC aborted the transfer.</summary>
        Aborted = 11,
        /// <summary>A signed model's version is below the installed one and no downgrade was signed.</summary>
        Rollback = 12,
    }
}
