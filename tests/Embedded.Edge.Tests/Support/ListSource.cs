using System.Runtime.CompilerServices;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Tests.Support;

/// <summary>A source that delivers given samples, then ends.</summary>
internal sealed class ListSource : ISampleSource
{
    private readonly Sample[] _samples;

    public ListSource(int channels, params double[][] rows)
    {
        ChannelNames = Enumerable.Range(0, channels).Select(i => "ch" + i).ToArray();
        _samples = rows.Select((r, i) => new Sample(i.ToString(), r)).ToArray();
    }

    public IReadOnlyList<string> ChannelNames { get; }

    public async IAsyncEnumerable<Sample> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (Sample s in _samples)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return s;
        }
    }

    public void Dispose()
    {
    }
}
