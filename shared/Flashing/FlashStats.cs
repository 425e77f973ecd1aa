namespace Embedded.Shared.Flashing
{
    /// <summary>What the device's receiver has seen since boot; reported in status lines and checked by tests.</summary>
    public sealed class FlashStats
    {
        /// <summary>Models installed.</summary>
        public int Commits;
        /// <summary>Unsigned or wrongly signed models refused.</summary>
        public int AuthRefused;
        /// <summary>Signed models refused for a version below the installed one (replayed old models).</summary>
        public int RollbacksRefused;
        /// <summary>Transfers whose bytes did not match the announced checksum.</summary>
        public int CrcFailures;
        /// <summary>Models that failed to parse or to reproduce their golden vectors.</summary>
        public int ValidationFailures;
        /// <summary>Transfers that failed on a file operation.</summary>
        public int StorageFailures;
        /// <summary>Transfers abandoned after the session timeout.</summary>
        public int Timeouts;
        /// <summary>Transfers the PC aborted.</summary>
        public int Aborts;
        /// <summary>Requests refused before any data: too large, wrong version, malformed.</summary>
        public int Refused;
        /// <summary>Repeated requests answered from the reply cache.</summary>
        public int Duplicates;
    }
}
