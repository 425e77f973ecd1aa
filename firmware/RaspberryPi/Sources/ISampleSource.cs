namespace Embedded.Edge.Sources;

/// <summary>
/// A stream of samples. Sources never throw for bad data or a failing device: they log it, count it
/// in <see cref="Hosting.EdgeCounters"/> and carry on; the stream ends only at end of input or cancellation.
/// </summary>
public interface ISampleSource : IDisposable
{
    /// <summary>Channel names, in the order of <see cref="Sample.Values"/>.</summary>
    IReadOnlyList<string> ChannelNames { get; }

    IAsyncEnumerable<Sample> ReadAllAsync(CancellationToken cancellationToken);
}
