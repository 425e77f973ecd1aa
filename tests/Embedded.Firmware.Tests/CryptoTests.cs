using System.Security.Cryptography;
using System.Text;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests;

/// <summary>The portable SHA-256 and HMAC-SHA256 agree with .NET's on every length around block boundaries.</summary>
public sealed class CryptoTests
{
    [Fact]
    public void Sha256_matches_the_fips_test_vector()
    {
        byte[] digest = Sha256.Hash(Encoding.ASCII.GetBytes("abc"), 0, 3);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Sha256_matches_dotnet_for_every_length_up_to_300()
    {
        var random = new Random(1);
        for (int length = 0; length <= 300; length++)
        {
            var data = new byte[length + 7];
            random.NextBytes(data);
            Assert.Equal(SHA256.HashData(data.AsSpan(3, length)), Sha256.Hash(data, 3, length));
        }
    }

    [Fact]
    public void Sha256_incremental_updates_equal_one_shot()
    {
        var data = new byte[1000];
        new Random(2).NextBytes(data);
        var sha = new Sha256();
        int offset = 0;
        foreach (int piece in new[] { 1, 63, 64, 65, 0, 200, 7 })
        {
            sha.Update(data, offset, piece);
            offset += piece;
        }
        sha.Update(data, offset, data.Length - offset);
        var digest = new byte[32];
        sha.Finish(digest, 0);
        Assert.Equal(SHA256.HashData(data), digest);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void Hmac_matches_dotnet_for_keys_shorter_equal_and_longer_than_a_block(int keyLength)
    {
        var random = new Random(keyLength);
        var key = new byte[keyLength];
        random.NextBytes(key);
        for (int length = 0; length < 260; length += 37)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(HMACSHA256.HashData(key, data), HmacSha256.Compute(key, data, 0, length));
        }
    }

    [Fact]
    public void Hmac_matches_rfc4231_case_2()
    {
        byte[] tag = HmacSha256.Compute(Encoding.ASCII.GetBytes("Jefe"), Encoding.ASCII.GetBytes("what do ya want for nothing?"), 0, 28);
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(tag));
    }

    [Fact]
    public void Tag_comparison_rejects_any_single_bit_difference()
    {
        var tag = HmacSha256.Compute(new byte[16], new byte[10], 0, 10);
        Assert.True(HmacSha256.TagsEqual(tag, (byte[])tag.Clone()));
        for (int bit = 0; bit < 256; bit += 13)
        {
            var other = (byte[])tag.Clone();
            other[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(HmacSha256.TagsEqual(tag, other));
        }
        Assert.False(HmacSha256.TagsEqual(tag, tag.AsSpan(0, 31).ToArray()));
    }

    [Fact]
    public void Key_file_is_hex_when_it_is_only_hex_digits_otherwise_raw_bytes()
    {
        byte[] hexKey = FlashKey.Parse(Encoding.ASCII.GetBytes("00112233445566778899aabbccddeeff\n"));
        Assert.Equal(Convert.FromHexString("00112233445566778899aabbccddeeff"), hexKey);
        byte[] raw = Encoding.ASCII.GetBytes("not hex at all, just a long passphrase");
        Assert.Equal(raw, FlashKey.Parse(raw));
        var tooShort = Assert.Throws<ArgumentException>(() => FlashKey.Parse(Encoding.ASCII.GetBytes("0011")));
        Assert.Contains("at least 16", tooShort.Message);
    }
}
