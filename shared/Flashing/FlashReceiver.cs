using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Device side of the flashing protocol (docs/PROTOCOL.md). Call <see cref="Poll"/> often from the
    /// main loop: it drains the serial link, answers each request with exactly one reply, streams Data
    /// into model.tmp and, on End, lets <see cref="ModelStore"/> verify and atomically install the model.
    /// Repeated requests (same type and sequence number) get the cached reply; stalled transfers are
    /// dropped after <see cref="SessionTimeoutMs"/>. Nothing here can leave the device without a model.
    /// </summary>
    public sealed class FlashReceiver
    {
        private const int MaxErrorText = 80;

        private readonly ISerialLink _link;
        private readonly IClock _clock;
        private readonly ModelStore _store;
        private readonly IModelCommitListener _listener;
        private readonly FrameDecoder _decoder = new FrameDecoder();
        private readonly FrameWriter _writer = new FrameWriter();
        private readonly FrameWriter _sampleWriter = new FrameWriter();
        private readonly byte[] _readBuffer = new byte[256];

        private bool _receiving;
        private int _size;
        private uint _declaredCrc;
        private int _chunk;
        private byte[] _tag;
        private uint _modelVersion;
        private byte _envelopeFlags;
        private int _expectedOffset;
        private uint _runningCrc;
        private IFileWriter _temp;
        private long _lastActivity;

        private bool _recording;
        private uint _recordSamples;
        private uint _recordSkipped;
        private long _lastFrameAt;

        private bool _hasLastRequest;
        private MessageType _lastRequestType;
        private int _lastRequestSequence;

        public FlashReceiver(ISerialLink link, IClock clock, ModelStore store, IModelCommitListener listener)
        {
            _link = link;
            _clock = clock;
            _store = store;
            _listener = listener;
            Stats = new FlashStats();
            MaxChunk = ProtocolConstants.MaxChunk;
            SessionTimeoutMs = 15000;
        }

        /// <summary>Reported in HelloReply (major * 256 + minor).</summary>
        public int FirmwareVersion { get; set; }

        /// <summary>Provisioned HMAC key; when set, only models with a valid tag are accepted.</summary>
        public byte[] Key { get; set; }

        /// <summary>Refuse every transfer (the key file exists but cannot be read: failing open would accept unsigned models).</summary>
        public bool Locked { get; set; }

        /// <summary>Largest chunk this device accepts (at most <see cref="ProtocolConstants.MaxChunk"/>).</summary>
        public int MaxChunk { get; set; }

        /// <summary>
        /// Managed heap, in bytes, a new model may take while the running one stays loaded (a model update holds
        /// both until the new one is verified and swapped in). 0: not checked. A Begin whose model would need more
        /// (<see cref="RamPerModelByte"/> × its size) is refused with <see cref="FlashError.TooLarge"/> and a message
        /// that says so, before any byte is written.
        /// </summary>
        public int ModelRamBudget { get; set; }

        /// <summary>
        /// Heap bytes a loaded model takes per byte of its image (the image, its parsed arrays, the predictor's
        /// state; int8 weights packed 2 rows per 64-bit word take 4 bytes each). Default 5: the int8 packed worst case
        /// (4 per weight byte) plus the image itself.
        /// </summary>
        public int RamPerModelByte { get; set; } = 5;

        /// <summary>A transfer with no valid frame for this long is abandoned.</summary>
        public int SessionTimeoutMs { get; set; }

        /// <summary>Checksum (<see cref="ModelChecksum"/>) and length of the running model, reported in HelloReply.</summary>
        public uint CurrentModelCrc { get; set; }

        public int CurrentModelLength { get; set; }

        public FlashStats Stats { get; private set; }

        /// <summary>Frames dropped by the decoder (noise, corruption, partial frames).</summary>
        public int BadFrames
        {
            get { return _decoder.BadFrames; }
        }

        /// <summary>True while a transfer is in progress (the app keeps status lines off the wire).</summary>
        public bool IsReceiving
        {
            get { return _receiving; }
        }

        /// <summary>True while record mode is on: the app streams every sample with <see cref="SendSample"/> (and keeps status lines off the wire).</summary>
        public bool IsRecording
        {
            get { return _recording; }
        }

        /// <summary>Sample frames sent since the last RecordStart.</summary>
        public uint RecordedSamples
        {
            get { return _recordSamples; }
        }

        /// <summary>Feature names announced in RecordInfo (the app sets them; null = none).</summary>
        public string[] RecordFeatureNames { get; set; }

        /// <summary>Sample period announced in RecordInfo.</summary>
        public int RecordPeriodMs { get; set; }

        /// <summary>
        /// While recording: sends one Sample frame with the next sequence number and the first
        /// <paramref name="count"/> raw features. Allocates nothing. Returns false when not recording.
        /// </summary>
        public bool SendSample(double[] features, int count, long timeMs)
        {
            if (!_recording) return false;
            if (count > RecordProtocol.MaxFeatures) count = RecordProtocol.MaxFeatures;
            uint number = _recordSamples;
            int length = RecordProtocol.WriteSample(_sampleWriter.Payload, number, (uint)timeMs, _recordSkipped, features, count);
            _sampleWriter.Build(MessageType.Sample, (int)(number & 0xFFFF), length);
            _sampleWriter.SendTo(_link);
            _recordSamples = number + 1;
            return true;
        }

        /// <summary>While recording: a sample the sensors could not deliver (counted in the next Sample frame).</summary>
        public void RecordSkipped()
        {
            if (_recording) _recordSkipped++;
        }

        /// <summary>Bytes of the current transfer received so far.</summary>
        public int ReceivedBytes
        {
            get { return _expectedOffset; }
        }

        /// <summary>Handles what the link has buffered (up to 2 KiB per call), then checks the session timeout.</summary>
        public void Poll()
        {
            // At most 8 reads per call, so a flood of bytes cannot starve the sample loop.
            for (int reads = 0; reads < 8; reads++)
            {
                int count = _link.Read(_readBuffer, 0, _readBuffer.Length);
                if (count <= 0) break;
                for (int i = 0; i < count; i++)
                {
                    if (_decoder.Push(_readBuffer[i])) Handle(_decoder.Current);
                }
            }
            if (_receiving && _clock.NowMilliseconds - _lastActivity > SessionTimeoutMs)
            {
                Stats.Timeouts++;
                EndTransfer();
            }
            if (_recording && _clock.NowMilliseconds - _lastFrameAt > RecordProtocol.IdleTimeoutMs)
            {
                _recording = false; // the PC went away without RecordStop
            }
        }

        private void Handle(Frame frame)
        {
            _lastActivity = _clock.NowMilliseconds;
            _lastFrameAt = _lastActivity;
            if (frame.Type != MessageType.Hello && _hasLastRequest && frame.Type == _lastRequestType && frame.Sequence == _lastRequestSequence)
            {
                Stats.Duplicates++;
                _writer.SendTo(_link);
                return;
            }
            switch (frame.Type)
            {
                case MessageType.Hello:
                    _recording = false; // a flashing session starts: the wire is its own again
                    HandleHello(frame);
                    break;
                case MessageType.Begin:
                    _recording = false;
                    HandleBegin(frame);
                    break;
                case MessageType.RecordStart:
                    HandleRecordStart(frame);
                    break;
                case MessageType.RecordStop:
                    _recording = false;
                    SendAck(frame.Sequence, _recordSamples);
                    break;
                case MessageType.Data:
                    HandleData(frame);
                    break;
                case MessageType.End:
                    HandleEnd(frame);
                    break;
                case MessageType.Abort:
                    HandleAbort(frame);
                    break;
                default:
                    // Replies or unknown types are not requests; nothing to answer.
                    return;
            }
            _hasLastRequest = true;
            _lastRequestType = frame.Type;
            _lastRequestSequence = frame.Sequence;
        }

        private void HandleHello(Frame frame)
        {
            byte[] p = _writer.Payload;
            p[0] = ProtocolConstants.Version;
            LittleEndian.WriteUInt16(p, 1, FirmwareVersion);
            LittleEndian.WriteUInt32(p, 3, (uint)_store.MaxModelSize);
            LittleEndian.WriteUInt16(p, 7, MaxChunk);
            p[9] = Key != null || Locked ? ProtocolConstants.FlagKeyProvisioned : (byte)0;
            LittleEndian.WriteUInt32(p, 10, CurrentModelCrc);
            LittleEndian.WriteUInt32(p, 14, (uint)CurrentModelLength);
            Reply(MessageType.HelloReply, frame.Sequence, 18);
        }

        private void HandleRecordStart(Frame frame)
        {
            if (frame.PayloadLength < 1 || frame.Payload[0] != ProtocolConstants.Version)
            {
                SendError(frame.Sequence, FlashError.VersionMismatch, "device speaks protocol " + ProtocolConstants.Version.ToString());
                return;
            }
            if (_receiving)
            {
                SendError(frame.Sequence, FlashError.BadState, "a model transfer is in progress");
                return;
            }
            string[] names = RecordFeatureNames;
            int count = names == null ? 0 : names.Length;
            if (count == 0)
            {
                SendError(frame.Sequence, FlashError.BadState, "no sensors to record");
                return;
            }
            if (count > RecordProtocol.MaxFeatures) count = RecordProtocol.MaxFeatures;
            _recording = true;
            _recordSamples = 0;
            _recordSkipped = 0;
            Reply(MessageType.RecordInfo, frame.Sequence, RecordProtocol.WriteInfo(_writer.Payload, RecordPeriodMs, names, count));
        }

        private void HandleBegin(Frame frame)
        {
            byte[] p = frame.Payload;
            int length = frame.PayloadLength;
            if (length < 12)
            {
                Refuse(frame, FlashError.BadRequest, "Begin payload too short");
                return;
            }
            if (p[0] != ProtocolConstants.Version)
            {
                Refuse(frame, FlashError.VersionMismatch, "device speaks protocol " + ProtocolConstants.Version.ToString() + ", Begin says " + p[0].ToString());
                return;
            }
            int size = (int)LittleEndian.ReadUInt32(p, 1);
            uint crc = LittleEndian.ReadUInt32(p, 5);
            int chunk = LittleEndian.ReadUInt16(p, 9);
            int tagLength = p[11];
            int envelope = tagLength > 0 ? ModelEnvelope.Size : 0;
            if (tagLength == HmacSha256.TagSize && length == 12 + tagLength)
            {
                Refuse(frame, FlashError.BadRequest, "signed Begin without a model version: update the PC tool (rollback protection)");
                return;
            }
            if ((tagLength != 0 && tagLength != HmacSha256.TagSize) || length != 12 + tagLength + envelope)
            {
                Refuse(frame, FlashError.BadRequest, "Begin tag length " + tagLength.ToString() + " invalid");
                return;
            }
            uint modelVersion = envelope > 0 ? LittleEndian.ReadUInt32(p, 12 + tagLength) : 0;
            byte envelopeFlags = envelope > 0 ? p[16 + tagLength] : (byte)0;
            if (size <= 0)
            {
                Refuse(frame, FlashError.BadRequest, "model size is 0");
                return;
            }
            if (size > _store.MaxModelSize)
            {
                Refuse(frame, FlashError.TooLarge, "model is " + size.ToString() + " bytes, device accepts " + _store.MaxModelSize.ToString());
                return;
            }
            if (ModelRamBudget > 0 && (long)size * RamPerModelByte > ModelRamBudget)
            {
                Refuse(frame, FlashError.TooLarge, "not enough RAM: a " + size.ToString() + "-byte model needs about "
                    + ((long)size * RamPerModelByte).ToString() + " bytes beside the running one, " + ModelRamBudget.ToString() + " free");
                return;
            }
            if (chunk <= 0 || chunk > MaxChunk)
            {
                Refuse(frame, FlashError.BadRequest, "chunk size " + chunk.ToString() + " outside 1.." + MaxChunk.ToString());
                return;
            }
            if (Locked)
            {
                Stats.AuthRefused++;
                SendError(frame.Sequence, FlashError.AuthRequired, "device key unreadable; transfers locked");
                return;
            }
            if (Key != null && tagLength == 0)
            {
                Stats.AuthRefused++;
                SendError(frame.Sequence, FlashError.AuthRequired, "this device accepts only signed models");
                return;
            }
            if (Key != null && (envelopeFlags & ModelEnvelope.FlagDowngrade) == 0)
            {
                // Early and cheap (the claim is checked again under the tag at End): no data for a replayed old model.
                uint installed = _store.InstalledVersion;
                if (modelVersion < installed)
                {
                    Stats.RollbacksRefused++;
                    SendError(frame.Sequence, FlashError.Rollback, ModelStore.RollbackMessage(modelVersion, installed));
                    return;
                }
            }
            byte[] tag = null;
            if (tagLength > 0)
            {
                tag = new byte[tagLength];
                System.Array.Copy(p, 12, tag, 0, tagLength);
            }
            if (_receiving && size == _size && crc == _declaredCrc && SameTag(tag, _tag) && modelVersion == _modelVersion && envelopeFlags == _envelopeFlags)
            {
                // A repeated Begin for the transfer in progress: tell the PC where to resume.
                SendAck(frame.Sequence, (uint)_expectedOffset);
                return;
            }
            EndTransfer();
            try
            {
                _temp = _store.OpenTemp();
            }
            catch (System.Exception e)
            {
                Stats.StorageFailures++;
                SendError(frame.Sequence, FlashError.StorageFailed, "cannot create temp file: " + e.Message);
                return;
            }
            _receiving = true;
            _size = size;
            _declaredCrc = crc;
            _chunk = chunk;
            _tag = tag;
            _modelVersion = modelVersion;
            _envelopeFlags = envelopeFlags;
            _expectedOffset = 0;
            _runningCrc = ModelChecksum.Start;
            SendAck(frame.Sequence, 0);
        }

        private void HandleData(Frame frame)
        {
            if (!_receiving)
            {
                SendError(frame.Sequence, FlashError.BadState, "Data without Begin");
                return;
            }
            int length = frame.PayloadLength - 4;
            if (length <= 0)
            {
                FailTransfer(frame.Sequence, FlashError.BadRequest, "empty Data frame");
                return;
            }
            int offset = (int)LittleEndian.ReadUInt32(frame.Payload, 0);
            if (offset < 0 || length > _chunk || offset + length > _size)
            {
                FailTransfer(frame.Sequence, FlashError.BadRequest, "Data at " + offset.ToString() + "+" + length.ToString() + " outside the model");
                return;
            }
            if (offset > _expectedOffset)
            {
                SendNak(frame.Sequence, NakReason.Gap, _expectedOffset);
                return;
            }
            if (offset == _expectedOffset)
            {
                try
                {
                    _temp.Write(frame.Payload, 4, length);
                }
                catch (System.Exception e)
                {
                    Stats.StorageFailures++;
                    FailTransfer(frame.Sequence, FlashError.StorageFailed, "write failed: " + e.Message);
                    return;
                }
                _runningCrc = ModelChecksum.Update(_runningCrc, frame.Payload, 4, length);
                _expectedOffset += length;
            }
            // offset < expected: a repeat of bytes already stored; just confirm where we are.
            SendAck(frame.Sequence, (uint)_expectedOffset);
        }

        private void HandleEnd(Frame frame)
        {
            if (!_receiving)
            {
                SendError(frame.Sequence, FlashError.BadState, "End without Begin");
                return;
            }
            if (_expectedOffset < _size)
            {
                SendNak(frame.Sequence, NakReason.Incomplete, _expectedOffset);
                return;
            }
            try
            {
                _temp.Close();
                _temp = null;
            }
            catch (System.Exception e)
            {
                Stats.StorageFailures++;
                FailTransfer(frame.Sequence, FlashError.StorageFailed, "closing temp file failed: " + e.Message);
                return;
            }
            if (ModelChecksum.Finish(_runningCrc) != _declaredCrc)
            {
                Stats.CrcFailures++;
                FailTransfer(frame.Sequence, FlashError.CrcMismatch, "received bytes do not match the announced checksum");
                return;
            }
            int size = _size;
            uint crc = _declaredCrc;
            byte[] tag = _tag;
            _receiving = false;
            FlashError result = _store.CommitTemp(size, crc, Key, tag, _modelVersion, _envelopeFlags);
            if (result != FlashError.None)
            {
                Count(result);
                SendError(frame.Sequence, result, _store.LastMessage);
                return;
            }
            Stats.Commits++;
            CurrentModelCrc = crc;
            CurrentModelLength = size;
            SendAck(frame.Sequence, crc);
            if (_listener != null)
            {
                try
                {
                    _listener.OnModelCommitted(_store.CommittedImage);
                }
                catch (System.Exception)
                {
                    // The model is installed and verified; the app reports its own failure.
                }
            }
        }

        private void HandleAbort(Frame frame)
        {
            if (_receiving) Stats.Aborts++;
            EndTransfer();
            SendAck(frame.Sequence, 0);
        }

        private void Count(FlashError error)
        {
            if (error == FlashError.AuthFailed || error == FlashError.AuthRequired) Stats.AuthRefused++;
            else if (error == FlashError.Rollback) Stats.RollbacksRefused++;
            else if (error == FlashError.ValidationFailed) Stats.ValidationFailures++;
            else if (error == FlashError.CrcMismatch) Stats.CrcFailures++;
            else if (error == FlashError.StorageFailed) Stats.StorageFailures++;
        }

        private static bool SameTag(byte[] a, byte[] b)
        {
            if (a == null || b == null) return a == b;
            return HmacSha256.TagsEqual(a, b);
        }

        /// <summary>Closes and deletes any partial transfer; the running model is untouched.</summary>
        private void EndTransfer()
        {
            if (_temp != null)
            {
                try
                {
                    _temp.Close();
                }
                catch (System.Exception)
                {
                    // Deleting it below is what matters.
                }
                _temp = null;
            }
            if (_receiving) _store.DiscardTemp();
            _receiving = false;
        }

        private void Refuse(Frame frame, FlashError error, string message)
        {
            Stats.Refused++;
            SendError(frame.Sequence, error, message);
        }

        private void FailTransfer(int sequence, FlashError error, string message)
        {
            EndTransfer();
            SendError(sequence, error, message);
        }

        private void SendAck(int sequence, uint value)
        {
            LittleEndian.WriteUInt32(_writer.Payload, 0, value);
            Reply(MessageType.Ack, sequence, 4);
        }

        private void SendNak(int sequence, NakReason reason, int expectedOffset)
        {
            _writer.Payload[0] = (byte)reason;
            LittleEndian.WriteUInt32(_writer.Payload, 1, (uint)expectedOffset);
            Reply(MessageType.Nak, sequence, 5);
        }

        private void SendError(int sequence, FlashError error, string message)
        {
            byte[] p = _writer.Payload;
            p[0] = (byte)error;
            int length = 1;
            if (message != null)
            {
                for (int i = 0; i < message.Length && i < MaxErrorText; i++)
                {
                    char c = message[i];
                    p[length++] = c >= ' ' && c < 127 ? (byte)c : (byte)'?';
                }
            }
            Reply(MessageType.Error, sequence, length);
        }

        private void Reply(MessageType type, int sequence, int payloadLength)
        {
            _writer.Build(type, sequence, payloadLength);
            _writer.SendTo(_link);
        }
    }
}
