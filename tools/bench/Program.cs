using BenchmarkDotNet.Running;

// dotnet run -c Release --project tools/bench -- --filter '*'   (see BENCHMARKS.md for each suite)
// dotnet Embedded.Bench.dll training-cpu [rounds] [cells] [hidden sizes]: the training step's thread CPU time only, ours and
// TorchSharp alternating in one process (no BenchmarkDotNet), e.g. `training-cpu 3 lstm,gru 32,128` (4th argument `fast-math`: ours with --fast-math).
if (args.Length > 0 && args[0] == "training-cpu")
{
    Embedded.Bench.TrainingBenchmarks.RunCpuTimeRounds(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "training-phases")
{
    Embedded.Bench.TrainingBenchmarks.RunPhases(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "gemm-shapes")
{
    Embedded.Bench.GemmShapes.Run(args.Length > 1 ? int.Parse(args[1]) : 128);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Embedded.Bench.BenchMarker).Assembly).Run(args);

namespace Embedded.Bench
{
    /// <summary>Anchor type for assembly discovery.</summary>
    internal static class BenchMarker { }
}
