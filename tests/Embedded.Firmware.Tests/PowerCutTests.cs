using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests;

/// <summary>
/// A power cut after every single write of a transfer (and of the boot-time repair that follows it):
/// the next boot always finds a valid model, the old or the new one.
/// </summary>
public sealed class PowerCutTests
{
    private static readonly byte[] OldModel = TestImages.Make(21, 1500);
    private static readonly byte[] NewModel = TestImages.Make(22, 1800);

    private static MemoryFileStore DeviceWithOldModel()
    {
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, OldModel);
        return files;
    }

    private static int OperationsOfACleanTransfer()
    {
        var files = DeviceWithOldModel();
        var harness = new FlashHarness(files, seed: 1);
        Assert.Equal(SenderState.Done, harness.Run(harness.CreateSender(NewModel)).State);
        return files.Operations;
    }

    private static byte[] Boot(MemoryFileStore files)
    {
        var store = new ModelStore(files, new EnvelopeValidator(), FlashHarness.MaxModelSize);
        var image = store.Recover();
        Assert.NotNull(image);
        return image!;
    }

    private static void AssertOldOrNew(byte[] image, string context)
    {
        bool isOld = image.AsSpan().SequenceEqual(OldModel);
        bool isNew = image.AsSpan().SequenceEqual(NewModel);
        Assert.True(isOld || isNew, context + ": booted a model that is neither the old nor the new one");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cut_after_every_write_of_a_transfer_boots_the_old_or_the_new_model(bool tornWrites)
    {
        int total = OperationsOfACleanTransfer();
        Assert.True(total > 10, "a transfer performs many writes (" + total + ")");
        bool sawOld = false, sawNew = false;
        for (int cut = 0; cut <= total; cut++)
        {
            var files = DeviceWithOldModel();
            files.PowerCutAfter = cut;
            files.TornWrites = tornWrites;
            var harness = new FlashHarness(files, seed: 1);
            harness.Run(harness.CreateSender(NewModel));

            var rebooted = files.Reboot();
            var image = Boot(rebooted);
            AssertOldOrNew(image, "cut after " + cut + " of " + total);
            sawOld |= image.AsSpan().SequenceEqual(OldModel);
            sawNew |= image.AsSpan().SequenceEqual(NewModel);

            // After repair the store is clean: exactly model.bin, and booting again gives the same model.
            Assert.Equal(new[] { ModelStore.ModelFile }, rebooted.Names);
            Assert.Equal(image, Boot(rebooted.Reboot()));
        }
        Assert.True(sawOld && sawNew, "cuts early keep the old model, cuts late give the new one");
    }

    [Fact]
    public void Cut_during_the_boot_repair_itself_still_boots_a_valid_model()
    {
        int total = OperationsOfACleanTransfer();
        int scenarios = 0;
        for (int cut = 0; cut <= total; cut++)
        {
            var files = DeviceWithOldModel();
            files.PowerCutAfter = cut;
            var harness = new FlashHarness(files, seed: 1);
            harness.Run(harness.CreateSender(NewModel));
            var afterCut = files.Reboot();

            // Measure how many writes the repair needs, then cut the repair after each of them.
            var probe = afterCut.Reboot();
            Boot(probe);
            for (int repairCut = 0; repairCut < probe.Operations; repairCut++)
            {
                var during = afterCut.Reboot();
                during.PowerCutAfter = repairCut;
                new ModelStore(during, new EnvelopeValidator(), FlashHarness.MaxModelSize).Recover();
                AssertOldOrNew(Boot(during.Reboot()), "transfer cut " + cut + ", repair cut " + repairCut);
                scenarios++;
            }
        }
        Assert.True(scenarios > 0);
    }

    [Fact]
    public void Stored_model_corrupted_on_flash_falls_back_to_the_backup_then_to_nothing()
    {
        var files = new MemoryFileStore();
        var broken = (byte[])NewModel.Clone();
        broken[50] ^= 0x40;
        files.Put(ModelStore.ModelFile, broken);
        files.Put(ModelStore.BackupFile, OldModel);
        var store = new ModelStore(files, new EnvelopeValidator(), FlashHarness.MaxModelSize);
        Assert.Equal(OldModel, store.Recover());
        Assert.Contains("previous model", store.LastMessage);
        Assert.Equal(OldModel, files.Get(ModelStore.ModelFile));

        var empty = new MemoryFileStore();
        empty.Put(ModelStore.ModelFile, broken);
        var none = new ModelStore(empty, new EnvelopeValidator(), FlashHarness.MaxModelSize);
        Assert.Null(none.Recover());
        Assert.Contains("no valid stored model", none.LastMessage);
    }

    [Fact]
    public void Unverified_temp_file_is_never_booted_even_without_any_other_model()
    {
        // A fresh device (no model.bin) receives a full but unsigned/unchecked transfer and loses power
        // before End: the temp file must not become the running model.
        var files = new MemoryFileStore();
        files.Put(ModelStore.TempFile, NewModel);
        var store = new ModelStore(files, new EnvelopeValidator(), FlashHarness.MaxModelSize);
        Assert.Null(store.Recover());
        Assert.Null(files.Get(ModelStore.TempFile));
    }
}
