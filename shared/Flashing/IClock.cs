namespace Embedded.Shared.Flashing
{
    /// <summary>Monotonic milliseconds, injectable so timeouts are testable without waiting.</summary>
    public interface IClock
    {
        long NowMilliseconds { get; }
    }
}
