using Embedded.Shared.Model;

namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// What a signed transfer's tag covers: HMAC-SHA256(key, version:u32 LE | flags:u8 | model bytes).
    /// The version is a monotonic number chosen by whoever signs; a keyed device refuses a version below
    /// the one it installed last unless <see cref="FlagDowngrade"/> is set. Both sit under the tag, so an
    /// old signed model cannot be replayed, nor its version raised, without the key.
    /// </summary>
    public static class ModelEnvelope
    {
        /// <summary>Bytes of version and flags (after the tag in Begin, before the model in the MAC).</summary>
        public const int Size = 5;

        /// <summary>The signer explicitly allows installing a version below the installed one.</summary>
        public const byte FlagDowngrade = 1;

        /// <summary>The tag of <paramref name="image"/> with its version and flags.</summary>
        public static byte[] Tag(byte[] key, uint version, byte flags, byte[] image)
        {
            HmacSha256 hmac = new HmacSha256(key);
            byte[] head = new byte[Size];
            LittleEndian.WriteUInt32(head, 0, version);
            head[4] = flags;
            hmac.Update(head, 0, Size);
            hmac.Update(image, 0, image.Length);
            byte[] tag = new byte[HmacSha256.TagSize];
            hmac.Finish(tag, 0);
            return tag;
        }
    }
}
