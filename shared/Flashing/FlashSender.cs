using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// PC side of the flashing protocol, as a state machine driven by <see cref="Poll"/> (so it runs the
    /// same over a real serial port and over a simulated link in tests). Stop-and-wait: each request
    /// is sent, then resent after a timeout up to <see cref="MaxRetries"/> times; replies with another
    /// sequence number are stale and ignored. A Nak moves the transfer back to the offset the device
    /// expects. Replies reset the retry count, so a device that answers without taking bytes (Nak(0)
    /// forever) is caught by a progress check (<see cref="MaxNaksWithoutProgress"/>) and, whatever it
    /// answers, by an overall deadline (<see cref="TransferTimeoutMs"/>). End's Ack must carry the
    /// model's checksum, or the transfer fails.
    /// </summary>
    public sealed class FlashSender
    {
        private readonly ISerialLink _link;
        private readonly IClock _clock;
        private readonly byte[] _image;
        private readonly byte[] _tag;
        private readonly uint _imageCrc;
        private readonly FrameDecoder _decoder = new FrameDecoder();
        private readonly FrameWriter _writer = new FrameWriter();
        private readonly byte[] _readBuffer = new byte[256];

        private int _sequence;
        private long _sentAt;
        private int _timeoutMs;
        private int _attempts;
        private int _offset;
        private int _chunk;
        private bool _heardFromDevice;
        private long _startedAt;
        private int _naksWithoutProgress;

        /// <param name="tag">HMAC-SHA256 tag of the image, or null to send it unsigned.</param>
        /// <param name="initialSequence">First sequence number; pick it at random so a new session never looks like a repeat of the last one.</param>
        public FlashSender(ISerialLink link, IClock clock, byte[] image, byte[] tag, int initialSequence)
        {
            if (tag != null && tag.Length != HmacSha256.TagSize) throw new System.ArgumentException("tag must be 32 bytes");
            _link = link;
            _clock = clock;
            _image = image;
            _tag = tag;
            _imageCrc = ModelChecksum.Compute(image);
            _sequence = initialSequence & 0xFFFF;
            ResponseTimeoutMs = 500;
            CommitTimeoutMs = 15000;
            MaxRetries = 8;
            ChunkSize = ProtocolConstants.DefaultChunk;
            // Generous: 60 s plus 1 ms per byte (1 kB/s, ten times slower than 115200 baud) plus the commit.
            TransferTimeoutMs = 60000 + image.Length + CommitTimeoutMs;
            MaxNaksWithoutProgress = 32;
            FailureMessage = "";
        }

        /// <summary>How long to wait for a reply before resending.</summary>
        public int ResponseTimeoutMs { get; set; }

        /// <summary>How long to wait for the reply to End (the device verifies and installs meanwhile).</summary>
        public int CommitTimeoutMs { get; set; }

        /// <summary>Resends of one request before giving up.</summary>
        public int MaxRetries { get; set; }

        /// <summary>Longest the whole transfer may take, from Hello to End's Ack, whatever the device answers.</summary>
        public long TransferTimeoutMs { get; set; }

        /// <summary>Naks in a row with no Ack moving the offset forward before the transfer is given up.</summary>
        public int MaxNaksWithoutProgress { get; set; }

        /// <summary>Version in a signed model's envelope (<see cref="ModelEnvelope"/>); the tag must cover it.</summary>
        public uint ModelVersion { get; set; }

        /// <summary>Envelope flags (<see cref="ModelEnvelope.FlagDowngrade"/>); the tag must cover them.</summary>
        public byte EnvelopeFlags { get; set; }

        /// <summary>Finish at once when the device already runs exactly this model (same checksum and length).</summary>
        public bool SkipIfInstalled { get; set; }

        /// <summary>True when the transfer was skipped because the device already runs this model.</summary>
        public bool AlreadyInstalled { get; private set; }

        /// <summary>Requested chunk size; the device's limit wins if smaller.</summary>
        public int ChunkSize { get; set; }

        public SenderState State { get; private set; }

        public SenderFailure Failure { get; private set; }

        /// <summary>The device's error code when <see cref="Failure"/> came from an Error reply.</summary>
        public FlashError DeviceError { get; private set; }

        public string FailureMessage { get; private set; }

        /// <summary>Filled in once the device answered Hello.</summary>
        public DeviceInfo Device { get; private set; }

        /// <summary>Bytes the device has confirmed.</summary>
        public int BytesAcknowledged { get; private set; }

        public int TotalBytes
        {
            get { return _image.Length; }
        }

        /// <summary>All resends during the transfer.</summary>
        public int TotalRetries { get; private set; }

        public uint ImageCrc
        {
            get { return _imageCrc; }
        }

        public bool IsFinished
        {
            get { return State == SenderState.Done || State == SenderState.Failed; }
        }

        /// <summary>Sends what is due, handles replies, resends on timeout.</summary>
        public void Poll()
        {
            if (IsFinished) return;
            if (State == SenderState.NotStarted)
            {
                _startedAt = _clock.NowMilliseconds;
                SendHello();
                return;
            }
            while (!IsFinished)
            {
                int count = _link.Read(_readBuffer, 0, _readBuffer.Length);
                if (count <= 0) break;
                for (int i = 0; i < count && !IsFinished; i++)
                {
                    if (_decoder.Push(_readBuffer[i])) HandleReply(_decoder.Current);
                }
            }
            if (IsFinished) return;
            if (_clock.NowMilliseconds - _startedAt >= TransferTimeoutMs)
            {
                GiveUp(SenderFailure.Stalled, "transfer did not finish within " + (TransferTimeoutMs / 1000).ToString() + " s (state " + StateName(State) + ", " + BytesAcknowledged.ToString() + " of " + _image.Length.ToString() + " bytes acknowledged); the device keeps its current model");
                return;
            }
            if (_clock.NowMilliseconds - _sentAt >= _timeoutMs)
            {
                if (_attempts >= MaxRetries)
                {
                    if (State == SenderState.Hello && !_heardFromDevice)
                    {
                        Fail(SenderFailure.NoDevice, "no reply to Hello after " + (_attempts + 1).ToString() + " tries: is the device connected, on this port, at this baud rate, and running the firmware?");
                    }
                    else
                    {
                        Fail(SenderFailure.RetriesExhausted, "transfer failed after " + MaxRetries.ToString() + " retries in state " + StateName(State) + " at byte " + _offset.ToString());
                    }
                    return;
                }
                _attempts++;
                TotalRetries++;
                _writer.SendTo(_link);
                _sentAt = _clock.NowMilliseconds;
            }
        }

        /// <summary>
        /// Gives up: tells the device to drop the transfer (best effort, one frame, no reply awaited) so it
        /// does not wait for its session timeout. The old model stays on the device.
        /// </summary>
        public void Abort(string reason)
        {
            GiveUp(SenderFailure.RetriesExhausted, reason);
        }

        private void GiveUp(SenderFailure failure, string reason)
        {
            if (IsFinished) return;
            if (State != SenderState.NotStarted && State != SenderState.Hello)
            {
                _sequence = (_sequence + 1) & 0xFFFF;
                _writer.Build(MessageType.Abort, _sequence, 0);
                _writer.SendTo(_link);
            }
            Fail(failure, reason);
        }

        private void HandleReply(Frame frame)
        {
            if (frame.Sequence != _sequence) return;
            _heardFromDevice = true;
            if (frame.Type == MessageType.Error)
            {
                HandleError(frame);
                return;
            }
            switch (State)
            {
                case SenderState.Hello:
                    if (frame.Type == MessageType.HelloReply) HandleHelloReply(frame);
                    break;
                case SenderState.Begin:
                case SenderState.Data:
                    if (frame.Type == MessageType.Ack && frame.PayloadLength >= 4) Advance((int)LittleEndian.ReadUInt32(frame.Payload, 0));
                    else if (frame.Type == MessageType.Nak && frame.PayloadLength >= 5) Nak((int)LittleEndian.ReadUInt32(frame.Payload, 1));
                    break;
                case SenderState.End:
                    if (frame.Type == MessageType.Ack)
                    {
                        // The device commits what it received; only the model's own checksum proves that is this model.
                        uint committed = frame.PayloadLength >= 4 ? LittleEndian.ReadUInt32(frame.Payload, 0) : 0;
                        if (frame.PayloadLength < 4 || committed != _imageCrc)
                        {
                            Fail(SenderFailure.DeviceError, "the device acknowledged End with checksum " + Hex.Format32(committed) + ", not the model's " + Hex.Format32(_imageCrc) + ": it did not install this model");
                            return;
                        }
                        BytesAcknowledged = _image.Length;
                        State = SenderState.Done;
                    }
                    else if (frame.Type == MessageType.Nak && frame.PayloadLength >= 5)
                    {
                        Nak((int)LittleEndian.ReadUInt32(frame.Payload, 1));
                    }
                    break;
            }
        }

        private void HandleHelloReply(Frame frame)
        {
            DeviceInfo info = DeviceInfo.Parse(frame.Payload, frame.PayloadLength);
            if (info == null) return;
            Device = info;
            if (info.ProtocolVersion != ProtocolConstants.Version)
            {
                Fail(SenderFailure.VersionMismatch, "device firmware speaks flashing protocol v" + info.ProtocolVersion.ToString() + ", this tool v" + ProtocolConstants.Version.ToString() + "; update the firmware or the tool");
                return;
            }
            if (_image.Length > info.MaxModelSize)
            {
                Fail(SenderFailure.TooLarge, "model is " + _image.Length.ToString() + " bytes; the device accepts at most " + info.MaxModelSize.ToString());
                return;
            }
            if (SkipIfInstalled && info.CurrentModelCrc == _imageCrc && info.CurrentModelLength == _image.Length)
            {
                AlreadyInstalled = true;
                BytesAcknowledged = _image.Length;
                State = SenderState.Done;
                return;
            }
            if (info.KeyProvisioned && _tag == null)
            {
                Fail(SenderFailure.AuthRefused, "the device accepts only signed models; pass the provisioning key with --key");
                return;
            }
            _chunk = ChunkSize;
            if (info.MaxChunk > 0 && info.MaxChunk < _chunk) _chunk = info.MaxChunk;
            if (_chunk > ProtocolConstants.MaxChunk) _chunk = ProtocolConstants.MaxChunk;
            if (_chunk <= 0) _chunk = 1;
            SendBegin();
        }

        private void HandleError(Frame frame)
        {
            FlashError code = frame.PayloadLength > 0 ? (FlashError)frame.Payload[0] : FlashError.None;
            char[] chars = new char[frame.PayloadLength > 1 ? frame.PayloadLength - 1 : 0];
            for (int i = 0; i < chars.Length; i++) chars[i] = (char)frame.Payload[i + 1];
            string text = new string(chars);
            DeviceError = code;
            SenderFailure failure = SenderFailure.DeviceError;
            if (code == FlashError.TooLarge) failure = SenderFailure.TooLarge;
            else if (code == FlashError.VersionMismatch) failure = SenderFailure.VersionMismatch;
            else if (code == FlashError.AuthRequired || code == FlashError.AuthFailed) failure = SenderFailure.AuthRefused;
            Fail(failure, "device refused (" + ErrorName(code) + "): " + text);
        }

        /// <summary>The device wants the bytes from <paramref name="offset"/> again: counted, since it is no progress.</summary>
        private void Nak(int offset)
        {
            if (++_naksWithoutProgress > MaxNaksWithoutProgress)
            {
                GiveUp(SenderFailure.Stalled, "no progress: the device answered " + _naksWithoutProgress.ToString() + " times in a row with Nak (expects byte " + offset.ToString() + ") without accepting new bytes; the device keeps its current model");
                return;
            }
            Move(offset);
        }

        /// <summary>The device confirmed bytes up to <paramref name="offset"/>: send the next chunk or End.</summary>
        private void Advance(int offset)
        {
            if (offset > _offset || (offset == _offset && State == SenderState.Begin)) _naksWithoutProgress = 0;
            Move(offset);
        }

        private void Move(int offset)
        {
            if (offset < 0 || offset > _image.Length) return;
            _offset = offset;
            BytesAcknowledged = offset;
            if (offset >= _image.Length) SendEnd();
            else SendData();
        }

        private void SendHello()
        {
            byte[] p = _writer.Payload;
            p[0] = ProtocolConstants.Version;
            LittleEndian.WriteUInt16(p, 1, ProtocolConstants.MaxChunk);
            Send(SenderState.Hello, MessageType.Hello, 3, ResponseTimeoutMs);
        }

        private void SendBegin()
        {
            byte[] p = _writer.Payload;
            p[0] = ProtocolConstants.Version;
            LittleEndian.WriteUInt32(p, 1, (uint)_image.Length);
            LittleEndian.WriteUInt32(p, 5, _imageCrc);
            LittleEndian.WriteUInt16(p, 9, _chunk);
            int tagLength = _tag != null ? _tag.Length : 0;
            p[11] = (byte)tagLength;
            int envelope = 0;
            if (_tag != null)
            {
                System.Array.Copy(_tag, 0, p, 12, tagLength);
                LittleEndian.WriteUInt32(p, 12 + tagLength, ModelVersion);
                p[16 + tagLength] = EnvelopeFlags;
                envelope = ModelEnvelope.Size;
            }
            Send(SenderState.Begin, MessageType.Begin, 12 + tagLength + envelope, ResponseTimeoutMs);
        }

        private void SendData()
        {
            int length = _image.Length - _offset;
            if (length > _chunk) length = _chunk;
            byte[] p = _writer.Payload;
            LittleEndian.WriteUInt32(p, 0, (uint)_offset);
            System.Array.Copy(_image, _offset, p, 4, length);
            Send(SenderState.Data, MessageType.Data, 4 + length, ResponseTimeoutMs);
        }

        private void SendEnd()
        {
            Send(SenderState.End, MessageType.End, 0, CommitTimeoutMs);
        }

        private void Send(SenderState state, MessageType type, int payloadLength, int timeoutMs)
        {
            if (State != SenderState.NotStarted) _sequence = (_sequence + 1) & 0xFFFF;
            State = state;
            _attempts = 0;
            _timeoutMs = timeoutMs;
            _writer.Build(type, _sequence, payloadLength);
            _writer.SendTo(_link);
            _sentAt = _clock.NowMilliseconds;
        }

        private void Fail(SenderFailure failure, string message)
        {
            Failure = failure;
            FailureMessage = message;
            State = SenderState.Failed;
        }

        private static string StateName(SenderState state)
        {
            switch (state)
            {
                case SenderState.Hello: return "Hello";
                case SenderState.Begin: return "Begin";
                case SenderState.Data: return "Data";
                case SenderState.End: return "End";
                default: return "?";
            }
        }

        /// <summary>Readable name of a device error code (enum ToString is not reliable on nanoFramework).</summary>
        public static string ErrorName(FlashError error)
        {
            switch (error)
            {
                case FlashError.VersionMismatch: return "version mismatch";
                case FlashError.TooLarge: return "too large";
                case FlashError.BadState: return "bad state";
                case FlashError.BadRequest: return "bad request";
                case FlashError.CrcMismatch: return "CRC mismatch";
                case FlashError.ValidationFailed: return "validation failed";
                case FlashError.AuthRequired: return "signature required";
                case FlashError.AuthFailed: return "signature invalid";
                case FlashError.StorageFailed: return "storage failed";
                case FlashError.Timeout: return "timeout";
                case FlashError.Aborted: return "aborted";
                case FlashError.Rollback: return "older version";
                default: return "error " + ((int)error).ToString();
            }
        }
    }
}
