using Embedded.Edge.Engine;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Actions;

/// <summary>Something the loop tells about every scored sample: an output stream, a GPIO pin, a broker.</summary>
public interface ISampleSink : IAsyncDisposable
{
    /// <summary>Called on the loop thread; must not block for long (slow work goes to the sink's own thread).</summary>
    void OnSample(Sample sample, in StepResult result);

    /// <summary>Pushes buffered output out (called when the loop is idle and at shutdown).</summary>
    void Flush();
}
