namespace Embedded.Shared.Flashing
{
    /// <summary>Frame types of the serial protocol (docs/PROTOCOL.md): flashing and record mode. Requests come from the PC, replies (and, while recording, Sample frames) from the device.</summary>
    public enum MessageType : byte
    {
        /// <summary>PC: protocol version and the largest chunk it sends.</summary>
        Hello = 1,
        /// <summary>Device: protocol and firmware version, limits, whether a key is provisioned, current model.</summary>
        HelloReply = 2,
        /// <summary>PC: model size, model checksum (CRC-32C), chunk size and an optional HMAC-SHA256 tag.</summary>
        Begin = 3,
        /// <summary>PC: a chunk of the model at an offset.</summary>
        Data = 4,
        /// <summary>PC: all bytes sent; verify and commit.</summary>
        End = 5,
        /// <summary>PC: abandon the transfer; the old model stays.</summary>
        Abort = 6,
        /// <summary>Device: request accepted; carries a 32-bit value (next offset, or committed CRC).</summary>
        Ack = 7,
        /// <summary>Device: request not applied; carries a reason and the offset the device expects.</summary>
        Nak = 8,
        /// <summary>Device: transfer refused or failed; carries an <see cref="FlashError"/> code and a short text.</summary>
        Error = 9,
        /// <summary>PC: start record mode (payload: version:u8); repeated unchanged as a keep-alive.</summary>
        RecordStart = 10,
        /// <summary>Device: record mode on; feature count, sample period, value format and feature names (<see cref="RecordProtocol"/>).</summary>
        RecordInfo = 11,
        /// <summary>Device, unrequested while recording: one sample's raw features with its sequence number (<see cref="RecordProtocol"/>).</summary>
        Sample = 12,
        /// <summary>PC: stop record mode; answered by Ack(samples sent).</summary>
        RecordStop = 13,
    }
}
