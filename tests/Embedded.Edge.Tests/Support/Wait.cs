namespace Embedded.Edge.Tests.Support;

/// <summary>Polls a condition with a generous deadline (a liveness bound, not a timing assertion).</summary>
internal static class Wait
{
    public static bool Until(Func<bool> condition, int timeoutMs = 10000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(10);
        }

        return condition();
    }
}
