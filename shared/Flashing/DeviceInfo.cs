using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>What the device said in its HelloReply.</summary>
    public sealed class DeviceInfo
    {
        public int ProtocolVersion;
        /// <summary>major * 256 + minor.</summary>
        public int FirmwareVersion;
        public int MaxModelSize;
        public int MaxChunk;
        public bool KeyProvisioned;
        public uint CurrentModelCrc;
        public int CurrentModelLength;

        /// <summary>Parses a HelloReply payload; null when it is too short.</summary>
        public static DeviceInfo Parse(byte[] payload, int length)
        {
            if (length < 18) return null;
            DeviceInfo info = new DeviceInfo();
            info.ProtocolVersion = payload[0];
            info.FirmwareVersion = LittleEndian.ReadUInt16(payload, 1);
            info.MaxModelSize = (int)LittleEndian.ReadUInt32(payload, 3);
            info.MaxChunk = LittleEndian.ReadUInt16(payload, 7);
            info.KeyProvisioned = (payload[9] & ProtocolConstants.FlagKeyProvisioned) != 0;
            info.CurrentModelCrc = LittleEndian.ReadUInt32(payload, 10);
            info.CurrentModelLength = (int)LittleEndian.ReadUInt32(payload, 14);
            return info;
        }
    }
}
