using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// The lowest model version a keyed device still accepts (rollback protection), in model.ver: the
    /// version and its complement (8 bytes), so a torn write reads as absent rather than as a wrong number.
    /// Written as model.vtmp then renamed; <see cref="Recover"/> finishes an interrupted rename at boot.
    /// The number only rises, except for a signed downgrade.
    /// </summary>
    public static class ModelVersionFile
    {
        public const string FileName = "model.ver";
        public const string TempName = "model.vtmp";

        /// <summary>The stored version; 0 when none is stored (a device never flashed with a signed model).</summary>
        public static uint Read(IFileStore files)
        {
            uint version;
            return TryRead(files, FileName, out version) ? version : 0;
        }

        /// <summary>Stores <paramref name="version"/> (throws on a storage failure; the previous value is kept then).</summary>
        public static void Write(IFileStore files, uint version)
        {
            byte[] bytes = new byte[8];
            LittleEndian.WriteUInt32(bytes, 0, version);
            LittleEndian.WriteUInt32(bytes, 4, ~version);
            files.Delete(TempName);
            IFileWriter writer = files.Create(TempName);
            writer.Write(bytes, 0, bytes.Length);
            writer.Close();
            files.Delete(FileName);
            files.Rename(TempName, FileName);
        }

        /// <summary>Boot: a complete model.vtmp whose rename was cut off becomes model.ver; a torn one is dropped. Never throws.</summary>
        public static void Recover(IFileStore files)
        {
            try
            {
                uint version;
                if (!files.Exists(TempName)) return;
                if (TryRead(files, TempName, out version))
                {
                    files.Delete(FileName);
                    files.Rename(TempName, FileName);
                }
                else
                {
                    files.Delete(TempName);
                }
            }
            catch (System.Exception)
            {
                // Retried at the next boot; Read keeps answering from model.ver meanwhile.
            }
        }

        private static bool TryRead(IFileStore files, string name, out uint version)
        {
            version = 0;
            try
            {
                if (files.Length(name) != 8) return false;
                byte[] bytes = files.ReadAll(name);
                if (bytes.Length != 8) return false;
                version = LittleEndian.ReadUInt32(bytes, 0);
                return LittleEndian.ReadUInt32(bytes, 4) == ~version;
            }
            catch (System.Exception)
            {
                return false;
            }
        }
    }
}
