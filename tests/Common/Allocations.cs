namespace Embedded.Tests.Common;

/// <summary>Measures what a piece of code allocates on the current thread.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes allocated by <paramref name="body"/>, the least of <paramref name="rounds"/> runs: tiered JIT
    /// recompilation can allocate on this thread during early calls, while code that allocates does so every round.
    /// </summary>
    public static long Least(Action body, int rounds = 3)
    {
        long least = long.MaxValue;
        for (int round = 0; round < rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            body();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
