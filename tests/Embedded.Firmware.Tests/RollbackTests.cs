using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests;

/// <summary>
/// Rollback protection: a keyed device keeps the version of the last signed model and refuses an older
/// signed model (a replay) unless the signer allowed the downgrade; version and flag are under the tag.
/// </summary>
public sealed class RollbackTests
{
    private static readonly byte[] Key = Convert.FromHexString("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
    private static readonly byte[] OldModel = TestImages.Make(61, 1800);
    private static readonly byte[] NewModel = TestImages.Make(62, 2100);

    private static FlashSender Flash(FlashHarness harness, byte[] image, uint version, byte flags = 0, byte[]? tag = null)
    {
        FlashSender sender = harness.CreateSender(image, tag ?? ModelEnvelope.Tag(Key, version, flags, image));
        sender.ModelVersion = version;
        sender.EnvelopeFlags = flags;
        sender.SkipIfInstalled = false;
        return harness.Run(sender);
    }

    private static FlashHarness Device(MemoryFileStore files, int seed) => new(files, seed, Key);

    [Fact]
    public void An_older_signed_model_is_refused_even_after_a_reboot_and_the_newer_one_kept()
    {
        var files = new MemoryFileStore();
        Assert.Equal(SenderState.Done, Flash(Device(files, 1), OldModel, version: 1).State);
        Assert.Equal(SenderState.Done, Flash(Device(files, 2), NewModel, version: 2).State);

        // A replay of the (validly signed) version 1 transfer, to a rebooted device.
        var rebooted = files.Reboot();
        new ModelStore(rebooted, new EnvelopeValidator(), FlashHarness.MaxModelSize).Recover();
        var device = Device(rebooted, 3);
        FlashSender replay = Flash(device, OldModel, version: 1);
        Assert.Equal(FlashError.Rollback, replay.DeviceError);
        Assert.Contains("below the installed version 2", replay.FailureMessage);
        Assert.Equal(1, device.Receiver.Stats.RollbacksRefused);
        Assert.Equal(NewModel, rebooted.Get(ModelStore.ModelFile));
        Assert.Equal(2u, device.Store.InstalledVersion);
    }

    [Fact]
    public void A_signed_downgrade_installs_the_older_model_and_lowers_the_floor()
    {
        var files = new MemoryFileStore();
        Assert.Equal(SenderState.Done, Flash(Device(files, 4), NewModel, version: 5).State);
        var device = Device(files, 5);
        Assert.Equal(SenderState.Done, Flash(device, OldModel, version: 3, flags: ModelEnvelope.FlagDowngrade).State);
        Assert.Equal(OldModel, files.Get(ModelStore.ModelFile));
        Assert.Equal(3u, device.Store.InstalledVersion);
    }

    [Fact]
    public void Raising_the_version_or_setting_the_downgrade_flag_without_the_key_fails_the_tag()
    {
        var files = new MemoryFileStore();
        Assert.Equal(SenderState.Done, Flash(Device(files, 6), NewModel, version: 4).State);
        byte[] oldTag = ModelEnvelope.Tag(Key, 1, 0, OldModel); // what an attacker recorded

        var device = Device(files, 7);
        FlashSender bumped = Flash(device, OldModel, version: 4, tag: oldTag);
        Assert.Equal(FlashError.AuthFailed, bumped.DeviceError);
        FlashSender flagged = Flash(device, OldModel, version: 1, flags: ModelEnvelope.FlagDowngrade, tag: oldTag);
        Assert.Equal(FlashError.AuthFailed, flagged.DeviceError);
        Assert.Equal(NewModel, files.Get(ModelStore.ModelFile));
        Assert.Equal(4u, device.Store.InstalledVersion);
    }

    [Fact]
    public void A_signed_begin_without_a_version_from_an_old_tool_is_refused_clearly()
    {
        var files = new MemoryFileStore();
        var harness = Device(files, 8);
        var writer = new FrameWriter();
        writer.Payload[0] = ProtocolConstants.Version;
        Embedded.Shared.Model.LittleEndian.WriteUInt32(writer.Payload, 1, (uint)NewModel.Length);
        Embedded.Shared.Model.LittleEndian.WriteUInt32(writer.Payload, 5, ModelChecksum.Compute(NewModel));
        Embedded.Shared.Model.LittleEndian.WriteUInt16(writer.Payload, 9, 256);
        writer.Payload[11] = HmacSha256.TagSize;
        writer.Build(MessageType.Begin, 9, 12 + HmacSha256.TagSize);
        writer.SendTo(harness.PcLink);
        harness.Receiver.Poll();
        var decoder = new FrameDecoder();
        var reply = new byte[512];
        int n = harness.PcLink.Read(reply, 0, reply.Length);
        Frame? error = null;
        for (int i = 0; i < n; i++) if (decoder.Push(reply[i])) error = decoder.Current;
        Assert.NotNull(error);
        Assert.Equal(MessageType.Error, error!.Type);
        string text = new(error.Payload.Take(error.PayloadLength).Skip(1).Select(b => (char)b).ToArray());
        Assert.Contains("update the PC tool", text);
        Assert.False(harness.Receiver.IsReceiving);
    }

    [Fact]
    public void A_torn_version_file_reads_as_absent_and_an_interrupted_rename_is_finished_at_boot()
    {
        var files = new MemoryFileStore();
        ModelVersionFile.Write(files, 7);
        Assert.Equal(7u, ModelVersionFile.Read(files));
        // Cut between deleting model.ver and renaming model.vtmp: boot finishes the rename.
        files.Put(ModelVersionFile.TempName, files.Get(ModelVersionFile.FileName)!);
        files.Delete(ModelVersionFile.FileName);
        ModelVersionFile.Recover(files);
        Assert.Equal(7u, ModelVersionFile.Read(files));
        // A torn temp file is dropped, the stored version stays.
        files.Put(ModelVersionFile.TempName, new byte[] { 9, 0, 0 });
        ModelVersionFile.Recover(files);
        Assert.Equal(7u, ModelVersionFile.Read(files));
        Assert.False(files.Exists(ModelVersionFile.TempName));
    }
}
