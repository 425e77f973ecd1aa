namespace Embedded.Shared.Flashing
{
    /// <summary>
    /// Incremental HMAC-SHA256 (RFC 2104) over the portable <see cref="Sha256"/>: the tag that proves a
    /// model came from whoever holds the device's provisioning key.
    /// </summary>
    public sealed class HmacSha256
    {
        /// <summary>Tag length in bytes.</summary>
        public const int TagSize = Sha256.HashSize;

        private readonly Sha256 _inner = new Sha256();
        private readonly Sha256 _outer = new Sha256();
        private readonly byte[] _innerPad = new byte[Sha256.BlockSize];
        private readonly byte[] _outerPad = new byte[Sha256.BlockSize];
        private readonly byte[] _innerDigest = new byte[Sha256.HashSize];

        public HmacSha256(byte[] key)
        {
            if (key == null) throw new System.ArgumentNullException("key");
            byte[] blockKey = key;
            if (key.Length > Sha256.BlockSize) blockKey = Sha256.Hash(key, 0, key.Length);
            for (int i = 0; i < Sha256.BlockSize; i++)
            {
                byte k = i < blockKey.Length ? blockKey[i] : (byte)0;
                _innerPad[i] = (byte)(k ^ 0x36);
                _outerPad[i] = (byte)(k ^ 0x5c);
            }
            Reset();
        }

        /// <summary>Starts a new tag with the same key.</summary>
        public void Reset()
        {
            _inner.Reset();
            _inner.Update(_innerPad, 0, _innerPad.Length);
        }

        public void Update(byte[] data, int offset, int count)
        {
            _inner.Update(data, offset, count);
        }

        /// <summary>Writes the 32-byte tag into <paramref name="output"/> at <paramref name="offset"/>, then resets.</summary>
        public void Finish(byte[] output, int offset)
        {
            _inner.Finish(_innerDigest, 0);
            _outer.Reset();
            _outer.Update(_outerPad, 0, _outerPad.Length);
            _outer.Update(_innerDigest, 0, _innerDigest.Length);
            _outer.Finish(output, offset);
            Reset();
        }

        /// <summary>One-shot tag of a byte range.</summary>
        public static byte[] Compute(byte[] key, byte[] data, int offset, int count)
        {
            HmacSha256 hmac = new HmacSha256(key);
            hmac.Update(data, offset, count);
            byte[] tag = new byte[TagSize];
            hmac.Finish(tag, 0);
            return tag;
        }

        /// <summary>Compares two tags in time independent of where they differ (no early exit).</summary>
        public static bool TagsEqual(byte[] a, byte[] b)
        {
            if (a == null || b == null || a.Length != b.Length) return false;
            int difference = 0;
            for (int i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
            return difference == 0;
        }
    }
}
