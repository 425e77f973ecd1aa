namespace Embedded.Edge.Actions;

/// <summary>
/// A bounded FIFO of outgoing messages. A message leaves only after the broker acknowledged it
/// (<see cref="TryPeek"/> then <see cref="RemoveFirst"/>), so nothing is lost across a disconnect; when
/// full, the oldest message is dropped and counted.
/// </summary>
public sealed class OfflineBuffer<T>
{
    private readonly Queue<T> _items = new();
    private readonly int _capacity;
    private readonly SemaphoreSlim _available = new(0);
    private long _dropped;

    public OfflineBuffer(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "buffer capacity must be at least 1.");
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_items) return _items.Count;
        }
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Adds a message; returns false when an old one had to be dropped to make room.</summary>
    public bool Add(T item)
    {
        bool dropped = false;
        lock (_items)
        {
            if (_items.Count >= _capacity)
            {
                _items.Dequeue();
                Interlocked.Increment(ref _dropped);
                dropped = true;
            }

            _items.Enqueue(item);
        }

        // A wake-up signal, not a count of messages: released on every add it grew by one per message
        // ever sent and threw SemaphoreFullException after 2^31 of them (25 days at 1 kHz).
        if (_available.CurrentCount == 0) _available.Release();
        return !dropped;
    }

    public bool TryPeek(out T item)
    {
        lock (_items) return _items.TryPeek(out item!);
    }

    /// <summary>Removes the message <see cref="TryPeek"/> returned (if it is still first: it may have been dropped meanwhile).</summary>
    public void RemoveFirst(T item)
    {
        lock (_items)
        {
            if (_items.TryPeek(out T? first) && EqualityComparer<T>.Default.Equals(first, item)) _items.Dequeue();
        }
    }

    /// <summary>Waits until a message may be available (a wake-up; check with <see cref="TryPeek"/>); false on timeout.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _available.WaitAsync(timeout, cancellationToken);
}
