using Embedded.Shared.Flashing;
using Embedded.Shared.Model;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>
/// Stand-in model images for protocol tests: "TEST", random body, CRC-32 of everything before it.
/// <see cref="EnvelopeValidator"/> accepts exactly these, so a corrupted or truncated image is caught
/// the way ModelImage.Parse catches a corrupt model.
/// </summary>
internal static class TestImages
{
    public static byte[] Make(int seed, int length)
    {
        var image = new byte[length];
        new Random(seed).NextBytes(image);
        image[0] = (byte)'T'; image[1] = (byte)'E'; image[2] = (byte)'S'; image[3] = (byte)'T';
        LittleEndian.WriteUInt32(image, length - 4, Crc32.Compute(image, 0, length - 4));
        return image;
    }
}

/// <summary>Accepts images made by <see cref="TestImages.Make"/>; can be told to reject a specific one (a "golden vector" failure).</summary>
internal sealed class EnvelopeValidator : IModelValidator
{
    public byte[]? Reject { get; set; }

    public int Calls { get; private set; }

    public string? Validate(byte[] image)
    {
        Calls++;
        if (image.Length < 8 || image[0] != 'T' || image[1] != 'E' || image[2] != 'S' || image[3] != 'T') return "not a test image";
        if (LittleEndian.ReadUInt32(image, image.Length - 4) != Crc32.Compute(image, 0, image.Length - 4)) return "CRC mismatch";
        if (Reject is not null && image.AsSpan().SequenceEqual(Reject)) return "golden vectors differ";
        return null;
    }
}
