namespace Embedded.Edge.Engine;

/// <summary>
/// The running engine, swapped atomically by the model watcher and picked up by the loop at the next
/// sample. A replacement must take the same number of inputs as the source delivers.
/// </summary>
public sealed class EngineHolder
{
    private IScoringEngine _current;

    public EngineHolder(IScoringEngine initial) => _current = initial;

    public IScoringEngine Current => Volatile.Read(ref _current);

    /// <summary>Number of successful swaps.</summary>
    public int Generation { get; private set; }

    /// <summary>Raised after a swap, with the new engine.</summary>
    public event Action<IScoringEngine>? Swapped;

    public void Swap(IScoringEngine next)
    {
        IScoringEngine running = Current;
        if (next.InputCount != running.InputCount || next.OutputCount != running.OutputCount)
            throw new ModelRejectedException($"the new model takes {next.InputCount} inputs and gives {next.OutputCount} outputs; the running one (and the configured source) uses {running.InputCount} and {running.OutputCount}.");
        Volatile.Write(ref _current, next);
        Generation++;
        Swapped?.Invoke(next);
    }
}
