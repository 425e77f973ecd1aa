using Embedded.Shared.Model;

namespace Embedded.Fuzz;

/// <summary>
/// Structure-aware mutations of valid model images: bit flips, header fields set to boundary values,
/// counts and lengths rewritten, truncation, extension, body bytes randomised, splices of two images.
/// Two thirds of the results get their CRC repaired so that they reach the field validation.
/// </summary>
public static class ModelMutator
{
    private static readonly (int Offset, int Width)[] CountFields = [(8, 4), (16, 2), (18, 2), (20, 2), (26, 2), (28, 4), (32, 4), (36, 2)];

    public static byte[] Mutate(byte[] seed, byte[] other, Random rng)
    {
        byte[] image = (byte[])seed.Clone();
        int rounds = rng.Next(1, 3);
        for (int round = 0; round < rounds; round++) image = MutateOnce(image, other, rng);
        if (rng.Next(3) != 0) RepairCrc(image);
        return image;
    }

    /// <summary>Rewrites the trailing CRC-32 over everything before it.</summary>
    public static void RepairCrc(byte[] image)
    {
        if (image.Length < ModelFormat.CrcSize) return;
        uint crc = Crc32.Compute(image, 0, image.Length - ModelFormat.CrcSize);
        BitConverter.TryWriteBytes(image.AsSpan(image.Length - ModelFormat.CrcSize), crc);
    }

    private static byte[] MutateOnce(byte[] image, byte[] other, Random rng)
    {
        if (image.Length == 0) return image;
        switch (rng.Next(9))
        {
            case 8:
            {
                // Inside the detector section (found by its magic), so mutated sections reach its field checks.
                int at = image.AsSpan().IndexOf("ADET"u8);
                if (at < 0) goto case 0;
                int span = Math.Min(image.Length - at, 48 + 40 * 8);
                for (int n = rng.Next(1, 4); n > 0; n--)
                {
                    int offset = at + 4 + rng.Next(Math.Max(1, span - 4));
                    if (offset < image.Length) image[offset] = (byte)(rng.Next(3) switch { 0 => 0, 1 => 0xFF, _ => rng.Next(256) });
                }
                return image;
            }
            case 0:
                for (int n = rng.Next(1, 4); n > 0; n--) image[rng.Next(image.Length)] ^= (byte)(1 << rng.Next(8));
                return image;
            case 1:
            {
                int offset = rng.Next(Math.Min(image.Length, ModelFormat.HeaderSize));
                image[offset] = (byte)(rng.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => 0x80, _ => rng.Next(256) });
                return image;
            }
            case 2:
            {
                var (offset, width) = CountFields[rng.Next(CountFields.Length)];
                if (offset + width > image.Length) return image;
                int value = rng.Next(5) switch { 0 => 0, 1 => -1, 2 => int.MaxValue, 3 => rng.Next(0, 70000), _ => BitConverter.ToUInt16(image, offset) + rng.Next(-2, 3) };
                BitConverter.GetBytes(value).AsSpan(0, width).CopyTo(image.AsSpan(offset, width));
                return image;
            }
            case 3:
                return image.AsSpan(0, rng.Next(image.Length)).ToArray();
            case 4:
            {
                var longer = new byte[image.Length + rng.Next(1, 64)];
                image.CopyTo(longer, 0);
                rng.NextBytes(longer.AsSpan(image.Length));
                return longer;
            }
            case 5:
                for (int n = rng.Next(1, 8); n > 0; n--) image[rng.Next(image.Length)] = (byte)rng.Next(256);
                return image;
            case 6:
            {
                // Declared length kept consistent with a resized body.
                int newLength = Math.Max(0, image.Length + rng.Next(-20, 20));
                var resized = new byte[newLength];
                Array.Copy(image, resized, Math.Min(image.Length, newLength));
                if (newLength >= 12) BitConverter.TryWriteBytes(resized.AsSpan(8, 4), newLength);
                return resized;
            }
            default:
            {
                // Splice: header of one model, body of another.
                int cut = rng.Next(Math.Min(image.Length, other.Length) + 1);
                var spliced = new byte[other.Length];
                Array.Copy(image, spliced, Math.Min(cut, image.Length));
                Array.Copy(other, cut, spliced, cut, other.Length - cut);
                return spliced;
            }
        }
    }
}
