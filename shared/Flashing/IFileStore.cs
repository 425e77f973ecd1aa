namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// The few file operations the model store needs (internal flash I:\ on the device, a folder on a PC,
    /// an in-memory store with simulated power cuts in tests). Names are plain file names, no folders.
    /// Implementations throw System.IO.IOException (or any exception) on failure.
    /// </summary>
    public interface IFileStore
    {
        bool Exists(string name);

        /// <summary>File length in bytes; -1 when the file does not exist.</summary>
        int Length(string name);

        /// <summary>Whole file contents.</summary>
        byte[] ReadAll(string name);

        /// <summary>Creates (or truncates) a file and opens it for writing.</summary>
        IFileWriter Create(string name);

        /// <summary>Deletes a file; no-op when it does not exist.</summary>
        void Delete(string name);

        /// <summary>Renames a file; the target must not exist. Must be atomic (littlefs and FAT directory updates are).</summary>
        void Rename(string from, string to);
    }
}
