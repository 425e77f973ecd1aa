using Embedded.Firmware.Tests.Fakes;
using Embedded.Cli.Flashing;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;

namespace Embedded.Firmware.Tests;

/// <summary>The protocol over a simulated serial link with every kind of damage: the device ends with the old or the new model, valid, never a corrupt one.</summary>
public sealed class TransferTests
{
    private static readonly byte[] OldModel = TestImages.Make(1, 3000);
    private static readonly byte[] NewModel = TestImages.Make(2, 5000);

    private static MemoryFileStore DeviceWithOldModel()
    {
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, OldModel);
        return files;
    }

    [Fact]
    public void Clean_link_installs_the_new_model_and_reports_it()
    {
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 1);
        var sender = harness.Run(harness.CreateSender(NewModel));
        Assert.Equal(SenderState.Done, sender.State);
        Assert.Equal(0, sender.TotalRetries);
        Assert.Equal(NewModel, harness.Files.Get(ModelStore.ModelFile));
        Assert.Equal(new[] { ModelStore.ModelFile }, harness.Files.Names);
        Assert.Single(harness.Committed);
        Assert.Equal(NewModel, harness.Committed[0]);
        Assert.Equal(1, harness.Receiver.Stats.Commits);
        Assert.Equal(0x0102, sender.Device!.FirmwareVersion);
        Assert.Equal(FlashHarness.MaxModelSize, sender.Device.MaxModelSize);
        Assert.Equal(sender.ImageCrc, harness.Receiver.CurrentModelCrc);
        Assert.Equal(NewModel.Length, sender.BytesAcknowledged);
    }

    public static TheoryData<string, FaultProfile> Faults() => new()
    {
        { "dropped bytes", new FaultProfile { DropByte = 0.002 } },
        { "duplicated bytes", new FaultProfile { DuplicateByte = 0.002 } },
        { "bit flips", new FaultProfile { FlipBit = 0.002 } },
        { "reordered bytes", new FaultProfile { SwapBytes = 0.002 } },
        { "truncated writes", new FaultProfile { Truncate = 0.1 } },
        { "lost frames (timeouts)", new FaultProfile { DropWrite = 0.2 } },
        { "duplicated frames", new FaultProfile { DuplicateWrite = 0.3 } },
        { "reordered frames", new FaultProfile { DelayWrite = 0.3 } },
        { "everything at once", new FaultProfile { DropByte = 0.001, DuplicateByte = 0.001, FlipBit = 0.001, SwapBytes = 0.001, Truncate = 0.05, DropWrite = 0.1, DuplicateWrite = 0.1, DelayWrite = 0.1 } },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Damaged_link_still_installs_exactly_the_new_model(string name, FaultProfile faults)
    {
        for (int seed = 1; seed <= 6; seed++)
        {
            var harness = new FlashHarness(DeviceWithOldModel(), seed);
            harness.PcLink.Faults = faults;
            harness.DeviceLink.Faults = faults;
            var sender = harness.Run(harness.CreateSender(NewModel));
            Assert.True(sender.State == SenderState.Done, $"{name} seed {seed}: {sender.FailureMessage}");
            Assert.Equal(NewModel, harness.Files.Get(ModelStore.ModelFile));
            Assert.Equal(1, harness.Receiver.Stats.Commits);
            Assert.Null(harness.Files.Get(ModelStore.TempFile));
        }
    }

    [Fact]
    public void Hopeless_link_fails_after_the_retry_budget_and_leaves_a_valid_model()
    {
        for (int seed = 1; seed <= 10; seed++)
        {
            var harness = new FlashHarness(DeviceWithOldModel(), seed);
            var faults = new FaultProfile { DropWrite = 0.6, FlipBit = 0.01 };
            harness.PcLink.Faults = faults;
            harness.DeviceLink.Faults = faults;
            var sender = harness.Run(harness.CreateSender(NewModel, maxRetries: 3));
            harness.RunDeviceOnly(20_000); // the device gives up the stalled session
            var model = harness.Files.Get(ModelStore.ModelFile);
            Assert.True(model.AsSpan().SequenceEqual(OldModel) || model.AsSpan().SequenceEqual(NewModel), $"seed {seed}");
            if (sender.Failure == SenderFailure.RetriesExhausted) Assert.Contains("after 3 retries", sender.FailureMessage);
            else if (sender.State == SenderState.Failed) Assert.Equal(SenderFailure.NoDevice, sender.Failure);
            Assert.False(harness.Receiver.IsReceiving);
        }
    }

    [Fact]
    public void Pc_vanishing_mid_transfer_times_out_on_the_device_and_keeps_the_old_model()
    {
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 3);
        var sender = harness.CreateSender(NewModel);
        for (int i = 0; i < 200 && harness.Receiver.ReceivedBytes < 1000; i++)
        {
            sender.Poll();
            harness.Receiver.Poll();
            harness.Clock.Advance(1);
        }
        Assert.True(harness.Receiver.IsReceiving);
        Assert.NotNull(harness.Files.Get(ModelStore.TempFile));
        harness.RunDeviceOnly(16_000);
        Assert.False(harness.Receiver.IsReceiving);
        Assert.Equal(1, harness.Receiver.Stats.Timeouts);
        Assert.Null(harness.Files.Get(ModelStore.TempFile));
        Assert.Equal(OldModel, harness.Files.Get(ModelStore.ModelFile));
    }

    [Fact]
    public void Silent_port_is_reported_as_no_device()
    {
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 4);
        harness.PcLink.Connected = false;
        var sender = harness.Run(harness.CreateSender(NewModel, maxRetries: 4));
        Assert.Equal(SenderFailure.NoDevice, sender.Failure);
        Assert.Contains("no reply to Hello after 5 tries", sender.FailureMessage);
    }

    [Fact]
    public void Model_larger_than_the_device_accepts_is_refused_before_any_data()
    {
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 5);
        var huge = TestImages.Make(9, FlashHarness.MaxModelSize + 1);
        var sender = harness.Run(harness.CreateSender(huge));
        Assert.Equal(SenderFailure.TooLarge, sender.Failure);
        Assert.Contains("at most 16384", sender.FailureMessage);
        Assert.Equal(OldModel, harness.Files.Get(ModelStore.ModelFile));
        Assert.Null(harness.Files.Get(ModelStore.TempFile));
    }

    [Fact]
    public void Model_that_cannot_fit_in_RAM_beside_the_running_one_is_refused_at_Begin_with_a_clear_reason()
    {
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 5);
        harness.Receiver.ModelRamBudget = NewModel.Length * harness.Receiver.RamPerModelByte - 1;
        var sender = harness.Run(harness.CreateSender(NewModel));
        Assert.NotEqual(SenderFailure.None, sender.Failure);
        Assert.Contains("not enough RAM", sender.FailureMessage);
        Assert.Contains(NewModel.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-byte model", sender.FailureMessage);
        Assert.Equal(OldModel, harness.Files.Get(ModelStore.ModelFile));
        Assert.Null(harness.Files.Get(ModelStore.TempFile));

        // With room for it, the same model goes in.
        var roomy = new FlashHarness(DeviceWithOldModel(), seed: 5);
        roomy.Receiver.ModelRamBudget = NewModel.Length * roomy.Receiver.RamPerModelByte;
        var ok = roomy.Run(roomy.CreateSender(NewModel));
        Assert.Equal(SenderFailure.None, ok.Failure);
        Assert.Equal(NewModel, roomy.Files.Get(ModelStore.ModelFile));
    }

    [Fact]
    public void Model_failing_its_golden_vectors_is_refused_counted_and_the_old_one_kept()
    {
        var validator = new EnvelopeValidator { Reject = NewModel };
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 6, validator: validator);
        var sender = harness.Run(harness.CreateSender(NewModel));
        Assert.Equal(SenderFailure.DeviceError, sender.Failure);
        Assert.Equal(FlashError.ValidationFailed, sender.DeviceError);
        Assert.Contains("golden vectors differ", sender.FailureMessage);
        Assert.Equal(1, harness.Receiver.Stats.ValidationFailures);
        Assert.Equal(OldModel, harness.Files.Get(ModelStore.ModelFile));
        Assert.Equal(new[] { ModelStore.ModelFile }, harness.Files.Names);
        Assert.Empty(harness.Committed);
    }

    [Fact]
    public void Corrupt_model_with_a_consistent_transfer_crc_is_refused_by_validation()
    {
        var corrupt = (byte[])NewModel.Clone();
        corrupt[100] ^= 1; // the envelope CRC inside the image no longer matches
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 7);
        var sender = harness.Run(harness.CreateSender(corrupt));
        Assert.Equal(FlashError.ValidationFailed, sender.DeviceError);
        Assert.Equal(OldModel, harness.Files.Get(ModelStore.ModelFile));
    }

    [Fact]
    public void Data_without_begin_and_end_without_begin_are_answered_with_bad_state()
    {
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 8);
        var writer = new FrameWriter();
        writer.Build(MessageType.End, 42, 0);
        writer.SendTo(harness.PcLink);
        harness.Receiver.Poll();
        var decoder = new FrameDecoder();
        var reply = new byte[256];
        int n = harness.PcLink.Read(reply, 0, reply.Length);
        Frame? frame = null;
        for (int i = 0; i < n; i++) if (decoder.Push(reply[i])) frame = decoder.Current;
        Assert.NotNull(frame);
        Assert.Equal(MessageType.Error, frame!.Type);
        Assert.Equal(42, frame.Sequence);
        Assert.Equal((byte)FlashError.BadState, frame.Payload[0]);
    }

    [Fact]
    public void Two_transfers_in_a_row_each_install_their_model()
    {
        var harness = new FlashHarness(DeviceWithOldModel(), seed: 9);
        Assert.Equal(SenderState.Done, harness.Run(harness.CreateSender(NewModel)).State);
        var third = TestImages.Make(3, 700);
        var second = new FlashSender(harness.PcLink, harness.Clock, third, null, 12345) { ResponseTimeoutMs = 50 };
        Assert.Equal(SenderState.Done, harness.Run(second).State);
        Assert.Equal(third, harness.Files.Get(ModelStore.ModelFile));
        Assert.Equal(2, harness.Receiver.Stats.Commits);
    }
}

/// <summary>Error paths of the protocol that need a misbehaving device or storage.</summary>
public sealed class TransferErrorTests
{
    private static readonly byte[] OldModel = TestImages.Make(41, 1000);
    private static readonly byte[] NewModel = TestImages.Make(42, 2000);

    [Fact]
    public void Device_speaking_another_protocol_version_is_reported_as_wrong_firmware()
    {
        var (pc, device) = SimLink.CreatePair(1);
        var clock = new SimClock();
        var sender = new FlashSender(pc, clock, NewModel, null, 10) { ResponseTimeoutMs = 50 };
        var decoder = new FrameDecoder();
        var writer = new FrameWriter();
        var buffer = new byte[512];
        for (int i = 0; i < 1000 && !sender.IsFinished; i++)
        {
            sender.Poll();
            int n = device.Read(buffer, 0, buffer.Length);
            for (int j = 0; j < n; j++)
            {
                if (!decoder.Push(buffer[j]) || decoder.Current.Type != MessageType.Hello) continue;
                writer.Payload[0] = 2; // a future protocol version
                LittleEndian.WriteUInt16(writer.Payload, 1, 0x0300);
                LittleEndian.WriteUInt32(writer.Payload, 3, 65536);
                LittleEndian.WriteUInt16(writer.Payload, 7, 1024);
                writer.Payload[9] = 0;
                writer.Build(MessageType.HelloReply, decoder.Current.Sequence, 18);
                writer.SendTo(device);
            }
            clock.Advance(1);
        }
        Assert.Equal(SenderFailure.VersionMismatch, sender.Failure);
        Assert.Contains("protocol v2, this tool v1", sender.FailureMessage);
        Assert.Equal(FlashExitCodes.WrongFirmware, FlashTransfer.ExitCode(sender));
    }

    [Fact]
    public void Storage_failure_during_the_transfer_is_reported_and_the_old_model_kept()
    {
        var files = new FailingWritesStore();
        files.Inner.Put(ModelStore.ModelFile, OldModel);
        var (pc, device) = SimLink.CreatePair(2);
        var clock = new SimClock();
        var store = new ModelStore(files, new EnvelopeValidator(), 16384);
        var receiver = new FlashReceiver(device, clock, store, null);
        var sender = new FlashSender(pc, clock, NewModel, null, 20) { ResponseTimeoutMs = 50 };
        for (int i = 0; i < 100_000 && !sender.IsFinished; i++)
        {
            sender.Poll();
            receiver.Poll();
            clock.Advance(1);
        }
        Assert.Equal(FlashError.StorageFailed, sender.DeviceError);
        Assert.Contains("write failed", sender.FailureMessage);
        Assert.Equal(1, receiver.Stats.StorageFailures);
        Assert.Equal(OldModel, files.Inner.Get(ModelStore.ModelFile));
        Assert.Equal(FlashExitCodes.Rejected, FlashTransfer.ExitCode(sender));
    }

    [Fact]
    public void Abort_makes_the_device_drop_the_transfer_at_once()
    {
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, OldModel);
        var harness = new FlashHarness(files, seed: 3);
        var sender = harness.CreateSender(NewModel);
        for (int i = 0; i < 100 && harness.Receiver.ReceivedBytes < 512; i++)
        {
            sender.Poll();
            harness.Receiver.Poll();
            harness.Clock.Advance(1);
        }
        Assert.True(harness.Receiver.IsReceiving);
        sender.Abort("user pressed Ctrl+C");
        harness.Receiver.Poll();
        Assert.False(harness.Receiver.IsReceiving);
        Assert.Equal(1, harness.Receiver.Stats.Aborts);
        Assert.Null(files.Get(ModelStore.TempFile));
        Assert.Equal(OldModel, files.Get(ModelStore.ModelFile));
        Assert.Equal(SenderState.Failed, sender.State);
    }

    /// <summary>A store whose file writes fail after the first 600 bytes (a full or worn-out flash).</summary>
    private sealed class FailingWritesStore : IFileStore
    {
        public MemoryFileStore Inner { get; } = new();
        public bool Exists(string name) => Inner.Exists(name);
        public int Length(string name) => Inner.Length(name);
        public byte[] ReadAll(string name) => Inner.ReadAll(name);
        public IFileWriter Create(string name) => new Writer(Inner.Create(name));
        public void Delete(string name) => Inner.Delete(name);
        public void Rename(string from, string to) => Inner.Rename(from, to);

        private sealed class Writer(IFileWriter inner) : IFileWriter
        {
            private int _written;

            public void Write(byte[] buffer, int offset, int count)
            {
                if (_written + count > 600) throw new IOException("no space left on I:");
                _written += count;
                inner.Write(buffer, offset, count);
            }

            public void Close() => inner.Close();
        }
    }
}

/// <summary>Sequence numbers wrap at 16 bits without confusing either side.</summary>
public sealed class SequenceWrapTests
{
    [Fact]
    public void Transfer_across_the_sequence_number_wrap_completes()
    {
        var files = new MemoryFileStore();
        var harness = new FlashHarness(files, seed: 5);
        var image = TestImages.Make(51, 8000);
        var sender = new FlashSender(harness.PcLink, harness.Clock, image, null, 0xFFF8) { ResponseTimeoutMs = 50, ChunkSize = 128 };
        harness.PcLink.Faults = new FaultProfile { DropWrite = 0.1, DuplicateWrite = 0.1 };
        harness.Run(sender);
        Assert.Equal(SenderState.Done, sender.State);
        Assert.Equal(image, files.Get(ModelStore.ModelFile));
    }
}

/// <summary>Flashing the model the device already runs sends nothing unless forced.</summary>
public sealed class AlreadyInstalledTests
{
    [Fact]
    public void Same_model_is_skipped_unless_forced()
    {
        var files = new MemoryFileStore();
        var harness = new FlashHarness(files, seed: 8);
        var image = TestImages.Make(91, 3000);
        Assert.Equal(SenderState.Done, harness.Run(harness.CreateSender(image)).State);

        long before = harness.PcLink.BytesWritten;
        var again = new FlashSender(harness.PcLink, harness.Clock, image, null, 500) { ResponseTimeoutMs = 50, SkipIfInstalled = true };
        harness.Run(again);
        Assert.True(again.AlreadyInstalled);
        Assert.Equal(SenderState.Done, again.State);
        Assert.True(harness.PcLink.BytesWritten - before < 50, "only Hello went out");
        Assert.Equal(1, harness.Receiver.Stats.Commits);

        var forced = new FlashSender(harness.PcLink, harness.Clock, image, null, 900) { ResponseTimeoutMs = 50 };
        harness.Run(forced);
        Assert.False(forced.AlreadyInstalled);
        Assert.Equal(2, harness.Receiver.Stats.Commits);
    }
}

/// <summary>The protocol checksum tells models apart (a plain CRC-32 of a self-checksummed image cannot).</summary>
public sealed class ModelChecksumTests
{
    [Fact]
    public void Different_valid_models_have_different_checksums_while_plain_crc_is_the_residue()
    {
        var a = TestImages.Make(101, 1200);
        var b = TestImages.Make(102, 1200);
        Assert.Equal(0x2144DF1Cu, Crc32.Compute(a, 0, a.Length));
        Assert.Equal(0x2144DF1Cu, Crc32.Compute(b, 0, b.Length));
        Assert.NotEqual(ModelChecksum.Compute(a), ModelChecksum.Compute(b));
        Assert.NotEqual(ModelChecksum.Compute(a), ModelChecksum.Compute(TestImages.Make(105, 1200)));
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8.ToArray(), 0, 9));
    }

    [Fact]
    public void New_transfer_of_another_model_with_the_same_size_restarts_instead_of_resuming()
    {
        var files = new MemoryFileStore();
        var harness = new FlashHarness(files, seed: 9);
        var first = TestImages.Make(103, 4000);
        var second = TestImages.Make(104, 4000);
        var abandoned = harness.CreateSender(first);
        for (int i = 0; i < 200 && harness.Receiver.ReceivedBytes < 2000; i++)
        {
            abandoned.Poll();
            harness.Receiver.Poll();
            harness.Clock.Advance(1);
        }
        Assert.True(harness.Receiver.ReceivedBytes >= 2000);
        var sender = new FlashSender(harness.PcLink, harness.Clock, second, null, 4321) { ResponseTimeoutMs = 50 };
        Assert.Equal(SenderState.Done, harness.Run(sender).State);
        Assert.Equal(second, files.Get(ModelStore.ModelFile));
    }
}
