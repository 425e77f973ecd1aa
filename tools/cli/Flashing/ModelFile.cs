using Embedded.Shared;
using Embedded.Shared.Model;

namespace Embedded.Cli.Flashing;

/// <summary>Loads a model.bin for flashing or embedding, refusing anything the device would refuse.</summary>
public static class ModelFile
{
    /// <summary>The image bytes after parsing and the golden self-test; throws <see cref="InvalidDataException"/> naming the file and the problem.</summary>
    public static byte[] LoadVerified(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException(path + ": file not found");
        byte[] image = File.ReadAllBytes(path);
        ModelImage model;
        try
        {
            model = ModelImage.Parse(image);
        }
        catch (ModelFormatException e)
        {
            throw new InvalidDataException(path + ": not a valid model: " + e.Message);
        }
        int mismatches = Predictor.CountGoldenMismatches(model);
        if (mismatches != 0)
        {
            throw new InvalidDataException(path + ": " + mismatches + " golden-vector outputs differ on this PC; the device would refuse it");
        }
        return image;
    }
}
