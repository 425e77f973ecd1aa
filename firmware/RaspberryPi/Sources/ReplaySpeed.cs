using System.Globalization;

namespace Embedded.Edge.Sources;

/// <summary>How fast recorded samples are replayed: at their own timestamps scaled by a factor, or as fast as possible.</summary>
public readonly struct ReplaySpeed
{
    private ReplaySpeed(double factor) => Factor = factor;

    /// <summary>No pacing.</summary>
    public static ReplaySpeed Max => new(double.PositiveInfinity);

    public static ReplaySpeed RealTime => new(1.0);

    /// <summary>Multiplier on real time; +∞ = as fast as possible.</summary>
    public double Factor { get; }

    public bool IsMax => double.IsPositiveInfinity(Factor);

    /// <summary>"max", "realtime" / "1", or a positive factor such as "60" or "0.5".</summary>
    public static ReplaySpeed Parse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t is "max") return Max;
        if (t is "realtime" or "real-time") return RealTime;
        if (t.EndsWith('x')) t = t.Substring(0, t.Length - 1);
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f > 0 && double.IsFinite(f)) return new ReplaySpeed(f);
        throw new FormatException($"--speed '{text}': expected 'max', 'realtime' or a positive factor such as 60.");
    }

    public override string ToString() => IsMax ? "max" : Factor.ToString(CultureInfo.InvariantCulture) + "x";
}
