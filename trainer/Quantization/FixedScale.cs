namespace Embedded.Trainer.Quantization;

/// <summary>A positive real factor as the runtime applies it: Multiplier / 2^Shift, 15-bit multiplier.</summary>
public readonly struct FixedScale
{
    public FixedScale(int multiplier, int shift)
    {
        Multiplier = multiplier;
        Shift = shift;
    }

    public int Multiplier { get; }
    public int Shift { get; }
    public double Value => Multiplier / Math.Pow(2, Shift);

    /// <summary>
    /// Nearest representation of <paramref name="factor"/> with the multiplier normalised into
    /// [2^14, 2^15) when possible; 0 maps to (0, 0). Throws when the factor is too large to represent.
    /// </summary>
    public static FixedScale From(double factor, string what)
    {
        if (double.IsNaN(factor) || double.IsInfinity(factor) || factor < 0) throw new InvalidOperationException($"{what}: scale {factor} is not a finite non-negative number");
        if (factor == 0) return new FixedScale(0, 0);
        int shift = 14 - (int)Math.Floor(Math.Log2(factor));
        if (shift > 62) shift = 62;
        if (shift < 0) throw new InvalidOperationException($"{what}: scale {factor} exceeds the format's range (max 32767)");
        long m = (long)Math.Round(factor * Math.Pow(2, shift));
        if (m >= 32768)
        {
            if (shift == 0) throw new InvalidOperationException($"{what}: scale {factor} exceeds the format's range (max 32767)");
            shift--;
            m = (long)Math.Round(factor * Math.Pow(2, shift));
        }
        return new FixedScale((int)Math.Min(m, 32767), shift);
    }
}
