using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;

namespace Embedded.Firmware.Tests;

/// <summary>A device provisioned with a key accepts only models whose HMAC-SHA256 tag verifies; others are refused and counted.</summary>
public sealed class AuthenticityTests
{
    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly byte[] OldModel = TestImages.Make(11, 2000);
    private static readonly byte[] NewModel = TestImages.Make(12, 2500);

    private static FlashHarness Provisioned(int seed)
    {
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, OldModel);
        return new FlashHarness(files, seed, Key);
    }

    [Fact]
    public void Correctly_signed_model_is_installed()
    {
        var harness = Provisioned(1);
        var tag = ModelEnvelope.Tag(Key, 0, 0, NewModel);
        var sender = harness.Run(harness.CreateSender(NewModel, tag));
        Assert.Equal(SenderState.Done, sender.State);
        Assert.True(sender.Device!.KeyProvisioned);
        Assert.Equal(NewModel, harness.Files.Get(ModelStore.ModelFile));
        Assert.Equal(0, harness.Receiver.Stats.AuthRefused);
    }

    [Fact]
    public void Unsigned_model_is_refused_by_the_tool_before_sending()
    {
        var harness = Provisioned(2);
        var sender = harness.Run(harness.CreateSender(NewModel));
        Assert.Equal(SenderFailure.AuthRefused, sender.Failure);
        Assert.Contains("--key", sender.FailureMessage);
        Assert.Equal(OldModel, harness.Files.Get(ModelStore.ModelFile));
    }

    [Fact]
    public void Unsigned_begin_from_a_tool_that_ignores_the_flag_is_refused_and_counted()
    {
        var harness = Provisioned(3);
        var writer = new FrameWriter();
        writer.Payload[0] = ProtocolConstants.Version;
        LittleEndian.WriteUInt32(writer.Payload, 1, (uint)NewModel.Length);
        LittleEndian.WriteUInt32(writer.Payload, 5, 0);
        LittleEndian.WriteUInt16(writer.Payload, 9, 256);
        writer.Payload[11] = 0;
        writer.Build(MessageType.Begin, 9, 12);
        writer.SendTo(harness.PcLink);
        harness.Receiver.Poll();
        Assert.Equal(1, harness.Receiver.Stats.AuthRefused);
        Assert.False(harness.Receiver.IsReceiving);
        Assert.Null(harness.Files.Get(ModelStore.TempFile));
    }

    [Fact]
    public void Model_signed_with_another_key_is_refused_counted_and_the_old_one_kept()
    {
        var harness = Provisioned(4);
        var wrongKey = (byte[])Key.Clone();
        wrongKey[0] ^= 0xFF;
        var sender = harness.Run(harness.CreateSender(NewModel, ModelEnvelope.Tag(wrongKey, 0, 0, NewModel)));
        Assert.Equal(SenderFailure.AuthRefused, sender.Failure);
        Assert.Equal(FlashError.AuthFailed, sender.DeviceError);
        Assert.Equal(1, harness.Receiver.Stats.AuthRefused);
        Assert.Equal(OldModel, harness.Files.Get(ModelStore.ModelFile));
        Assert.Equal(new[] { ModelStore.ModelFile }, harness.Files.Names);
    }

    [Fact]
    public void Tag_for_different_bytes_is_refused()
    {
        var harness = Provisioned(5);
        var sender = harness.Run(harness.CreateSender(NewModel, ModelEnvelope.Tag(Key, 0, 0, OldModel)));
        Assert.Equal(FlashError.AuthFailed, sender.DeviceError);
        Assert.Equal(OldModel, harness.Files.Get(ModelStore.ModelFile));
    }

    [Fact]
    public void Device_without_a_key_accepts_signed_and_unsigned_models()
    {
        var files = new MemoryFileStore();
        var harness = new FlashHarness(files, 6);
        Assert.Equal(SenderState.Done, harness.Run(harness.CreateSender(NewModel, ModelEnvelope.Tag(Key, 0, 0, NewModel))).State);
        var unsigned = new FlashSender(harness.PcLink, harness.Clock, OldModel, null, 777) { ResponseTimeoutMs = 50 };
        Assert.Equal(SenderState.Done, harness.Run(unsigned).State);
        Assert.Equal(OldModel, files.Get(ModelStore.ModelFile));
    }
}
