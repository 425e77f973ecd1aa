using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests;

/// <summary>
/// A file operation that fails (not a power cut) while a verified model is installed: what the device
/// keeps must match what the PC is told, now and after the next boot.
/// </summary>
public sealed class StoreFailureTests
{
    private static readonly byte[] OldModel = TestImages.Make(51, 1200);
    private static readonly byte[] NewModel = TestImages.Make(52, 1500);

    private static (MemoryFileStore Files, ModelStore Store, FlashError Result) Commit(Func<string, string, bool> renameFails, Func<string, bool> deleteFails)
    {
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, OldModel);
        var store = new ModelStore(new FailingStore(files, renameFails, deleteFails), new EnvelopeValidator(), 65536);
        IFileWriter temp = store.OpenTemp();
        temp.Write(NewModel, 0, NewModel.Length);
        temp.Close();
        return (files, store, store.CommitTemp(NewModel.Length, ModelChecksum.Compute(NewModel), null!, null!));
    }

    private static byte[] Boot(MemoryFileStore files) => new ModelStore(files, new EnvelopeValidator(), 65536).Recover()!;

    [Fact]
    public void Failing_to_move_the_old_model_aside_keeps_the_old_model_after_the_next_boot_too()
    {
        // The issue: "storage failed" was reported, model.new stayed, and the next boot installed it.
        var (files, store, result) = Commit((from, to) => from == ModelStore.ModelFile && to == ModelStore.BackupFile, _ => false);
        Assert.Equal(FlashError.StorageFailed, result);
        Assert.Contains("previous model is kept", store.LastMessage);
        Assert.Null(store.CommittedImage);
        Assert.Equal(OldModel, Boot(files));
    }

    [Fact]
    public void Failing_the_final_rename_puts_the_old_model_back()
    {
        var (files, _, result) = Commit((from, to) => from == ModelStore.VerifiedFile && to == ModelStore.ModelFile, _ => false);
        Assert.Equal(FlashError.StorageFailed, result);
        Assert.Equal(OldModel, files.Get(ModelStore.ModelFile));
        Assert.Equal(OldModel, Boot(files));
    }

    [Fact]
    public void Failing_only_to_remove_the_backup_after_the_swap_is_an_install()
    {
        int deletes = 0;
        // The last delete of model.bak (after the new model is in place) fails.
        var (files, store, result) = Commit((_, _) => false, name => name == ModelStore.BackupFile && ++deletes == 2);
        Assert.Equal(FlashError.None, result);
        Assert.Equal(NewModel, store.CommittedImage);
        Assert.Equal(NewModel, Boot(files));
    }

    private sealed class FailingStore(MemoryFileStore inner, Func<string, string, bool> renameFails, Func<string, bool> deleteFails) : IFileStore
    {
        public bool Exists(string name) => inner.Exists(name);
        public int Length(string name) => inner.Length(name);
        public byte[] ReadAll(string name) => inner.ReadAll(name);
        public IFileWriter Create(string name) => inner.Create(name);

        public void Delete(string name)
        {
            if (deleteFails(name)) throw new IOException("delete " + name + " failed");
            inner.Delete(name);
        }

        public void Rename(string from, string to)
        {
            if (renameFails(from, to)) throw new IOException("rename " + from + " failed");
            inner.Rename(from, to);
        }
    }
}
