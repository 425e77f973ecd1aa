using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Atomic model storage on a plain file system, safe against a power cut after any single write.
    ///
    /// Files: model.bin (the model that runs), model.tmp (an incoming transfer, never trusted),
    /// model.new (a transfer that passed every check: CRC, HMAC, golden vectors), model.bak (the previous
    /// model while the swap is in progress). Commit: tmp -> new (rename), bin -> bak (rename),
    /// new -> bin (rename), delete bak. Every intermediate state holds at least one valid model, and
    /// <see cref="Recover"/> at boot rolls an interrupted commit forward (or back to bak).
    /// Renames must be atomic, as they are on littlefs (the ESP32's internal flash) and FAT.
    /// </summary>
    public sealed class ModelStore
    {
        public const string ModelFile = "model.bin";
        public const string TempFile = "model.tmp";
        public const string VerifiedFile = "model.new";
        public const string BackupFile = "model.bak";

        private readonly IFileStore _files;
        private readonly IModelValidator _validator;
        private readonly int _maxModelSize;

        public ModelStore(IFileStore files, IModelValidator validator, int maxModelSize)
        {
            _files = files;
            _validator = validator;
            _maxModelSize = maxModelSize;
            LastMessage = "";
        }

        /// <summary>Largest model accepted, in bytes.</summary>
        public int MaxModelSize
        {
            get { return _maxModelSize; }
        }

        /// <summary>Lowest signed model version this device accepts without a signed downgrade (0: none installed yet).</summary>
        public uint InstalledVersion
        {
            get { return ModelVersionFile.Read(_files); }
        }

        /// <summary>Why a replayed older model is refused, for the Error frame.</summary>
        public static string RollbackMessage(uint version, uint installed)
        {
            return "model version " + version.ToString() + " is below the installed version " + installed.ToString() + "; sign it with a downgrade (flash --allow-downgrade) to install it";
        }

        /// <summary>What the last <see cref="Recover"/> or <see cref="CommitTemp"/> did or why it failed.</summary>
        public string LastMessage { get; private set; }

        /// <summary>The image the last successful <see cref="CommitTemp"/> installed.</summary>
        public byte[] CommittedImage { get; private set; }

        /// <summary>
        /// Boot: finishes or undoes an interrupted commit and returns the bytes of a valid model
        /// (model.bin, after repair), or null when no stored model is valid (the caller falls back to
        /// the embedded model). Never throws.
        /// </summary>
        public byte[] Recover()
        {
            string note = "";
            ModelVersionFile.Recover(_files);
            try
            {
                _files.Delete(TempFile);
                if (_files.Exists(VerifiedFile))
                {
                    if (ReadValid(VerifiedFile) != null)
                    {
                        RollForward();
                        note = "completed an interrupted update; ";
                    }
                    else
                    {
                        _files.Delete(VerifiedFile);
                    }
                }
            }
            catch (System.Exception e)
            {
                note = "recovery step failed (" + e.Message + "); ";
            }

            byte[] image = ReadValid(ModelFile);
            if (image != null)
            {
                TryDelete(BackupFile);
                LastMessage = note + "loaded " + ModelFile;
                return image;
            }

            image = ReadValid(BackupFile);
            if (image != null)
            {
                try
                {
                    _files.Delete(ModelFile);
                    _files.Rename(BackupFile, ModelFile);
                    note += "restored the previous model; ";
                }
                catch (System.Exception e)
                {
                    note += "could not restore " + BackupFile + " (" + e.Message + "); ";
                }
                LastMessage = note + "loaded the previous model";
                return image;
            }

            image = ReadValid(VerifiedFile);
            if (image != null)
            {
                LastMessage = note + "loaded " + VerifiedFile;
                return image;
            }

            LastMessage = note + "no valid stored model";
            return null;
        }

        /// <summary>Starts a transfer: (re)creates model.tmp for writing.</summary>
        public IFileWriter OpenTemp()
        {
            _files.Delete(TempFile);
            return _files.Create(TempFile);
        }

        /// <summary>Drops an unfinished or rejected transfer. Never throws.</summary>
        public void DiscardTemp()
        {
            TryDelete(TempFile);
        }

        /// <summary>
        /// Reads model.tmp back from storage, checks length, checksum, the HMAC tag (when a key is given) and
        /// the validator, and only then installs it atomically. On any failure the temp file is deleted,
        /// the running model is untouched, and <see cref="LastMessage"/> says why.
        /// </summary>
        public FlashError CommitTemp(int expectedLength, uint expectedCrc, byte[] key, byte[] tag)
        {
            return CommitTemp(expectedLength, expectedCrc, key, tag, 0, 0);
        }

        /// <summary>
        /// As above, for a signed model with its envelope (<see cref="ModelEnvelope"/>): with a key, the tag
        /// must cover the version and flags, a version below <see cref="InstalledVersion"/> is refused
        /// (<see cref="FlashError.Rollback"/>) unless the downgrade flag is signed, and the version is stored
        /// before the model is installed (so the floor never lags the model that runs).
        /// </summary>
        public FlashError CommitTemp(int expectedLength, uint expectedCrc, byte[] key, byte[] tag, uint modelVersion, byte envelopeFlags)
        {
            CommittedImage = null;
            FlashError error = VerifyTemp(expectedLength, expectedCrc, key, tag, modelVersion, envelopeFlags);
            if (error != FlashError.None)
            {
                DiscardTemp();
                return error;
            }
            byte[] image = CommittedImage;
            CommittedImage = null;
            bool installed = false;
            try
            {
                if (key != null) ModelVersionFile.Write(_files, modelVersion);
                _files.Delete(VerifiedFile);
                _files.Rename(TempFile, VerifiedFile);
                if (_files.Exists(ModelFile))
                {
                    _files.Delete(BackupFile);
                    _files.Rename(ModelFile, BackupFile);
                }
                _files.Rename(VerifiedFile, ModelFile);
                installed = true;
                _files.Delete(BackupFile);
            }
            catch (System.Exception e)
            {
                if (!installed)
                {
                    // The PC is told "storage failed, old model kept": make that true, or the next boot's
                    // Recover would roll model.new forward and install the model the PC thinks was refused.
                    LastMessage = "storage failed while installing the model: " + e.Message + UndoInstall();
                    return FlashError.StorageFailed;
                }
                // model.bin is the new model; only the backup's removal failed (Recover removes it at boot).
            }
            CommittedImage = image;
            LastMessage = "installed " + expectedLength.ToString() + " bytes";
            return FlashError.None;
        }

        /// <summary>Puts the old model back as model.bin and removes the verified copy; says what could not be undone.</summary>
        private string UndoInstall()
        {
            TryDelete(TempFile);
            string note = "; the previous model is kept";
            try
            {
                _files.Delete(VerifiedFile);
            }
            catch (System.Exception e)
            {
                note = "; could not remove " + VerifiedFile + " (" + e.Message + "): the new model will be installed at the next boot";
            }
            try
            {
                if (!_files.Exists(ModelFile) && _files.Exists(BackupFile)) _files.Rename(BackupFile, ModelFile);
            }
            catch (System.Exception)
            {
                // model.bin is missing and model.bak valid: Recover restores it at boot.
            }
            return note;
        }

        private FlashError VerifyTemp(int expectedLength, uint expectedCrc, byte[] key, byte[] tag, uint modelVersion, byte envelopeFlags)
        {
            byte[] image;
            try
            {
                int length = _files.Length(TempFile);
                if (length != expectedLength)
                {
                    LastMessage = TempFile + " holds " + length.ToString() + " bytes, expected " + expectedLength.ToString();
                    return FlashError.StorageFailed;
                }
                image = _files.ReadAll(TempFile);
            }
            catch (System.Exception e)
            {
                LastMessage = "could not read back " + TempFile + ": " + e.Message;
                return FlashError.StorageFailed;
            }
            if (image.Length != expectedLength || ModelChecksum.Compute(image) != expectedCrc)
            {
                LastMessage = "model read back from flash does not match the announced checksum";
                return FlashError.CrcMismatch;
            }
            if (key != null)
            {
                if (tag == null)
                {
                    LastMessage = "this device accepts only signed models";
                    return FlashError.AuthRequired;
                }
                if (!HmacSha256.TagsEqual(ModelEnvelope.Tag(key, modelVersion, envelopeFlags, image), tag))
                {
                    LastMessage = "HMAC-SHA256 tag does not verify with the device key";
                    return FlashError.AuthFailed;
                }
                uint installed = InstalledVersion;
                if (modelVersion < installed && (envelopeFlags & ModelEnvelope.FlagDowngrade) == 0)
                {
                    LastMessage = RollbackMessage(modelVersion, installed);
                    return FlashError.Rollback;
                }
            }
            string reason = Validate(image);
            if (reason != null)
            {
                LastMessage = reason;
                return FlashError.ValidationFailed;
            }
            CommittedImage = image;
            return FlashError.None;
        }

        /// <summary>model.new is valid: make it model.bin, keeping the old one as model.bak until done.</summary>
        private void RollForward()
        {
            if (_files.Exists(ModelFile))
            {
                _files.Delete(BackupFile);
                _files.Rename(ModelFile, BackupFile);
            }
            _files.Rename(VerifiedFile, ModelFile);
            _files.Delete(BackupFile);
        }

        private byte[] ReadValid(string name)
        {
            try
            {
                int length = _files.Length(name);
                if (length <= 0 || length > _maxModelSize) return null;
                byte[] image = _files.ReadAll(name);
                return Validate(image) == null ? image : null;
            }
            catch (System.Exception)
            {
                return null;
            }
        }

        private string Validate(byte[] image)
        {
            try
            {
                return _validator.Validate(image);
            }
            catch (System.Exception e)
            {
                // A validator must never take the device down: any surprise counts as invalid.
                return "validation threw " + e.Message;
            }
        }

        private void TryDelete(string name)
        {
            try
            {
                _files.Delete(name);
            }
            catch (System.Exception)
            {
                // Leftovers are cleaned up at the next boot.
            }
        }
    }
}
