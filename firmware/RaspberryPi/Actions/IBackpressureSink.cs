namespace Embedded.Edge.Actions;

/// <summary>
/// A sink that may ask the loop to wait (a replay's MQTT publisher with a full buffer): the loop awaits
/// <see cref="WaitForRoomAsync"/> after every sample, so a file replay runs at the sink's pace instead of
/// dropping. Live sources' sinks complete at once.
/// </summary>
public interface IBackpressureSink
{
    /// <summary>Completes when the sink can take the next sample without dropping anything (at once in the common case).</summary>
    ValueTask WaitForRoomAsync(CancellationToken cancellationToken);
}
