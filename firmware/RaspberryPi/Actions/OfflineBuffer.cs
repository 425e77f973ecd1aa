namespace Embedded.Edge.Actions;

/// <summary>
/// A bounded FIFO of outgoing messages, each with a sequence number. Messages are sent from it without
/// leaving it (<see cref="TryGet"/>, many may be in flight) and leave only once the broker acknowledged them
/// (<see cref="RemoveThrough"/>, in order), so nothing is lost across a disconnect. When full, a live source
/// adds anyway and the oldest message is dropped and counted; a replay first waits for room
/// (<see cref="WaitForRoomAsync"/>) and so never drops.
/// </summary>
public sealed class OfflineBuffer<T>
{
    private readonly object _sync = new();
    private readonly int _capacity;
    private readonly SemaphoreSlim _available = new(0);
    private readonly SemaphoreSlim _room = new(0);
    private T[] _ring;
    private int _head;
    private int _count;
    private long _headSeq;
    private long _dropped;

    public OfflineBuffer(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "buffer capacity must be at least 1.");
        _capacity = capacity;
        _ring = new T[Math.Min(capacity, 1024)];
    }

    public int Capacity => _capacity;

    public int Count
    {
        get
        {
            lock (_sync) return _count;
        }
    }

    /// <summary>Messages dropped (oldest first) because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Adds a message; returns false when an old one had to be dropped to make room.</summary>
    public bool Add(T item)
    {
        bool dropped = false;
        lock (_sync)
        {
            if (_count >= _capacity)
            {
                _ring[_head] = default!;
                _head = (_head + 1) % _ring.Length;
                _count--;
                _headSeq++;
                Interlocked.Increment(ref _dropped);
                dropped = true;
            }

            if (_count == _ring.Length) Grow();
            _ring[(_head + _count) % _ring.Length] = item;
            _count++;
        }

        // A wake-up signal, not a count of messages: released on every add it grew by one per message
        // ever sent and threw SemaphoreFullException after 2^31 of them (25 days at 1 kHz).
        if (_available.CurrentCount == 0) _available.Release();
        return !dropped;
    }

    /// <summary>The first message whose sequence number is at least <paramref name="fromSeq"/> (later ones if earlier were dropped).</summary>
    public bool TryGet(long fromSeq, out long seq, out T item)
    {
        lock (_sync)
        {
            long index = Math.Max(fromSeq - _headSeq, 0);
            if (index >= _count)
            {
                seq = _headSeq + _count;
                item = default!;
                return false;
            }

            seq = _headSeq + index;
            item = _ring[(int)((_head + index) % _ring.Length)];
            return true;
        }
    }

    /// <summary>Sequence number of the oldest message (the next one to be added when empty).</summary>
    public long HeadSequence
    {
        get
        {
            lock (_sync) return _headSeq;
        }
    }

    public bool TryPeek(out T item) => TryGet(0, out _, out item);

    /// <summary>Removes every message up to and including sequence number <paramref name="seq"/> (acknowledged by the broker).</summary>
    public void RemoveThrough(long seq)
    {
        lock (_sync)
        {
            while (_count > 0 && _headSeq <= seq)
            {
                _ring[_head] = default!;
                _head = (_head + 1) % _ring.Length;
                _count--;
                _headSeq++;
            }
        }

        if (_room.CurrentCount == 0) _room.Release();
    }

    /// <summary>Removes the message <see cref="TryPeek"/> returned (if it is still first: it may have been dropped meanwhile).</summary>
    public void RemoveFirst(T item)
    {
        long seq;
        lock (_sync)
        {
            if (_count == 0 || !EqualityComparer<T>.Default.Equals(_ring[_head], item)) return;
            seq = _headSeq;
        }

        RemoveThrough(seq);
    }

    /// <summary>Wakes <see cref="WaitAsync"/> (something else than a message needs the sender).</summary>
    public void Wake()
    {
        if (_available.CurrentCount == 0) _available.Release();
    }

    /// <summary>Waits until a message may be available (a wake-up; check with <see cref="TryGet"/>); false on timeout.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _available.WaitAsync(timeout, cancellationToken);

    /// <summary>Completes when the buffer has room for one more message (at once when it has): backpressure for replays.</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (Count >= _capacity)
        {
            // The signal is released on every removal; the timeout only guards against a missed wake-up.
            await _room.WaitAsync(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private void Grow()
    {
        var bigger = new T[(int)Math.Min((long)_ring.Length * 2, _capacity)];
        for (int i = 0; i < _count; i++) bigger[i] = _ring[(_head + i) % _ring.Length];
        _ring = bigger;
        _head = 0;
    }
}
