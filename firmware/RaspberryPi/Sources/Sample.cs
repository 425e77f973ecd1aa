namespace Embedded.Edge.Sources;

/// <summary>One multi-channel sample as a source delivers it.</summary>
public sealed class Sample
{
    public Sample(string timestamp, double[] values)
    {
        Timestamp = timestamp;
        Values = values;
    }

    /// <summary>The timestamp as text: copied verbatim from CSV input, ISO-8601 UTC for live sources.</summary>
    public string Timestamp { get; }

    /// <summary>One value per model input, in channel order.</summary>
    public double[] Values { get; }
}
