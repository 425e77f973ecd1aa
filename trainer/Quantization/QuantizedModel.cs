using Embedded.Shared.Model;

namespace Embedded.Trainer.Quantization;

/// <summary>The result of quantisation: the model.bin bytes and what it cost.</summary>
public sealed class QuantizedModel
{
    public QuantizedModel(byte[] image, QuantizeReport report)
    {
        Image = image;
        Report = report;
    }

    public byte[] Image { get; }
    public QuantizeReport Report { get; }

    /// <summary>The image parsed back (validates it).</summary>
    public ModelImage Parse() => ModelImage.Parse(Image);
}
