using BenchmarkDotNet.Running;

// dotnet run -c Release --project tools/bench -- --filter '*'   (see BENCHMARKS.md for each suite)
BenchmarkSwitcher.FromAssembly(typeof(Embedded.Bench.BenchMarker).Assembly).Run(args);

namespace Embedded.Bench
{
    /// <summary>Anchor type for assembly discovery.</summary>
    internal static class BenchMarker { }
}
