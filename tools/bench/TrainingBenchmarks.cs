using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Embedded.Shared.Model;
using FloatModelFactory = Embedded.Trainer.Model.FloatModelFactory;
using Tensor = TorchSharp.torch.Tensor;
using Embedded.Trainer.Network;
using Embedded.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Embedded.Bench;

/// <summary>
/// One training step (forward over T=100, B=32, I=4, linear head on every step, MSE, BPTT, global-norm clip 1,
/// Adam) for LSTM and GRU at H=32 and H=128: ours (float32 passes, the default for training, and float64; one thread) side by side with
/// TorchSharp-cpu 0.107 (libtorch, float32, torch.set_num_threads(1)) on the same shapes.
/// dotnet run -c Release --project tools/bench -- --filter '*TrainingBenchmarks*'   (see BENCHMARKS.md)
/// </summary>
[InProcess]
[WarmupCount(2), IterationCount(5)]
public class TrainingBenchmarks
{
    private const int Steps = 100, Batch = 32, Inputs = 4;
    /// <summary>`training-cpu ... fast-math`: ours with --fast-math (the general LSTM path's library sigmoid/tanh).</summary>
    internal static bool FastMath;

    [Params(CellType.Lstm, CellType.Gru)] public CellType Cell { get; set; }
    [Params(32, 128)] public int Hidden { get; set; }

    private SequenceModel _ours = null!, _oursDouble = null!;
    private AdamOptimizer _adam = null!, _adamDouble = null!;
    private double[] _x = [], _y = [], _dy = [];
    private double[][] _gradients = [], _gradientsDouble = [];

    private nn.Module<Tensor, Tensor>? _torchModel;
    private optim.Optimizer? _torchAdam;
    private Tensor? _tx, _ty;
    private IList<TorchSharp.Modules.Parameter>? _torchParameters;
    private string? _torchError;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var model = FloatModelFactory.Create(Cell, TaskKind.Forecast, Inputs, Hidden, 1, false, 1, random);
        _ours = new SequenceModel(model, ComputePrecision.Float32, FastMath);
        _adam = new AdamOptimizer(0.01);
        _oursDouble = new SequenceModel(FloatModelFactory.Clone(model), ComputePrecision.Float64);
        _adamDouble = new AdamOptimizer(0.01);
        _x = Enumerable.Range(0, Steps * Batch * Inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        _y = Enumerable.Range(0, Steps * Batch).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        _dy = new double[_y.Length];
        _gradients = _ours.ParameterNames.Select(n => _ours.Gradients[n].Data).ToArray();
        _gradientsDouble = _oursDouble.ParameterNames.Select(n => _oursDouble.Gradients[n].Data).ToArray();
        try
        {
            torch.set_num_threads(1);
            torch.manual_seed(1);
            _torchModel = new TorchRecurrentRegressor(Cell, Inputs, Hidden);
            _torchParameters = _torchModel.parameters().ToList();
            _torchAdam = optim.Adam(_torchParameters, 0.01);
            _tx = torch.randn(Steps, Batch, Inputs);
            _ty = torch.randn(Steps, Batch, 1);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            _torchError = e.GetBaseException().Message;
            Console.WriteLine("TorchSharp unavailable: " + _torchError);
        }
    }

    [Benchmark(Baseline = true, Description = "ours (float32)")]
    public double Ours() => Step(_ours, _adam, _gradients);

    [Benchmark(Description = "ours (float64)")]
    public double OursDouble() => Step(_oursDouble, _adamDouble, _gradientsDouble);

    private double Step(SequenceModel model, AdamOptimizer adam, double[][] gradients)
    {
        model.ZeroGradients();
        var y = model.ForwardAll(_x, Steps, Batch);
        double loss = Losses.MeanSquaredError(y, _y, _dy);
        model.BackwardAll(_dy);
        GradientClipping.ClipGlobalNorm(gradients, 1.0);
        adam.Step(model.Model.Parameters, model.Gradients);
        model.ParametersChanged();
        return loss;
    }

    [Benchmark(Description = "TorchSharp-cpu 0.107 (float32, 1 thread)")]
    public double TorchSharp()
    {
        if (_torchModel is null) throw new InvalidOperationException("TorchSharp unavailable: " + _torchError);
        using var scope = torch.NewDisposeScope();
        _torchAdam!.zero_grad();
        var loss = nn.functional.mse_loss(_torchModel.forward(_tx!), _ty!);
        loss.backward();
        nn.utils.clip_grad_norm_(_torchParameters!, 1.0);
        _torchAdam.step();
        return loss.item<float>();
    }

    /// <summary>
    /// The shared 2-core machine this was measured on is heavily loaded, so wall-clock times swing widely.
    /// After each case, also measure the CPU time of the benchmark thread per step (CLOCK_THREAD_CPUTIME_ID; both
    /// libraries compute on the calling thread at 1 thread) and append it to BenchmarkDotNet.Artifacts/training-cpu-time.md.
    /// </summary>
    [GlobalCleanup]
    public void MeasureCpuTime()
    {
        const int steps = 20;
        double ours = CpuMillisecondsPerStep(() => Ours(), steps);
        double oursDouble = CpuMillisecondsPerStep(() => OursDouble(), steps);
        double torchMs = _torchModel is null ? double.NaN : CpuMillisecondsPerStep(() => TorchSharp(), steps);
        string line = FormattableString.Invariant($"| {Cell} | {Hidden} | {ours:F2} | {oursDouble:F2} | {torchMs:F2} | {torchMs / ours:F2}× |");
        Console.WriteLine("CPU time per step (ms): " + line);
        Directory.CreateDirectory("BenchmarkDotNet.Artifacts");
        File.AppendAllText(Path.Combine("BenchmarkDotNet.Artifacts", "training-cpu-time.md"), line + Environment.NewLine);
    }

    /// <summary>
    /// `training-cpu [rounds] [cells] [hidden sizes]`: for each round, each cell and H, thread CPU ms per step (20 steps after 3
    /// warm-up steps) of ours float32 and of TorchSharp, alternating in this process; one line per measurement and the
    /// ratio TorchSharp / ours. Prints which vector width the JIT gives (Vector512 accelerated or not).
    /// </summary>
    public static void RunCpuTimeRounds(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var cells = (args.Length > 1 ? args[1] : "lstm,gru").Split(',').Select(c => c == "lstm" ? CellType.Lstm : CellType.Gru).ToArray();
        var sizes = (args.Length > 2 ? args[2] : "32,128").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        FastMath = args.Length > 3 && args[3] == "fast-math";
        Console.WriteLine($"Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256: {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}");
        var benches = new Dictionary<(CellType, int), TrainingBenchmarks>();
        foreach (var cell in cells)
            foreach (int h in sizes)
            {
                var b = new TrainingBenchmarks { Cell = cell, Hidden = h };
                b.Setup();
                benches[(cell, h)] = b;
            }
        // Warm-up: enough calls for tiered compilation to reach tier 1 (and its background re-JIT to land) before timing.
        for (int w = 0; w < 2; w++)
        {
            foreach (var b in benches.Values) { for (int i = 0; i < 40; i++) b.Ours(); if (b._torchModel is not null) b.TorchSharp(); }
            Thread.Sleep(300);
        }
        for (int r = 0; r < rounds; r++)
            foreach (var ((cell, h), b) in benches)
            {
                double ours = CpuMillisecondsPerStep(() => b.Ours(), 20);
                double torchMs = b._torchModel is null ? double.NaN : CpuMillisecondsPerStep(() => b.TorchSharp(), 20);
                Console.WriteLine(FormattableString.Invariant($"| {cell} | {h} | {r + 1} | {ours:F2} | {torchMs:F2} | {torchMs / ours:F2}× |"));
            }
    }

    /// <summary>`training-phases [cells] [hidden sizes]`: thread CPU ms per step of ours float32 split into forward, backward and the rest.</summary>
    public static void RunPhases(string[] args)
    {
        var cells = (args.Length > 0 ? args[0] : "lstm,gru").Split(',').Select(c => c == "lstm" ? CellType.Lstm : CellType.Gru).ToArray();
        var sizes = (args.Length > 1 ? args[1] : "32,128").Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (var cell in cells)
            foreach (int h in sizes)
            {
                var b = new TrainingBenchmarks { Cell = cell, Hidden = h };
                b.Setup();
                for (int i = 0; i < 60; i++) b.Ours();
                Thread.Sleep(300);
                double fwd = 0, bwd = 0, rest = 0;
                const int steps = 30;
                for (int i = 0; i < steps; i++)
                {
                    double t0 = ThreadCpuSeconds();
                    b._ours.ZeroGradients();
                    var y = b._ours.ForwardAll(b._x, Steps, Batch);
                    double t1 = ThreadCpuSeconds();
                    Losses.MeanSquaredError(y, b._y, b._dy);
                    b._ours.BackwardAll(b._dy);
                    double t2 = ThreadCpuSeconds();
                    GradientClipping.ClipGlobalNorm(b._gradients, 1.0);
                    b._adam.Step(b._ours.Model.Parameters, b._ours.Gradients);
                    b._ours.ParametersChanged();
                    double t3 = ThreadCpuSeconds();
                    fwd += t1 - t0; bwd += t2 - t1; rest += t3 - t2;
                }
                Console.WriteLine(FormattableString.Invariant($"| {cell} | {h} | fwd {fwd * 1000 / steps:F2} | bwd {bwd * 1000 / steps:F2} | rest {rest * 1000 / steps:F2} |"));
            }
    }

    private static double CpuMillisecondsPerStep(Action step, int steps)
    {
        for (int i = 0; i < 3; i++) step();
        double start = ThreadCpuSeconds();
        for (int i = 0; i < steps; i++) step();
        return (ThreadCpuSeconds() - start) * 1000 / steps;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    internal static double ThreadCpuSecondsPublic() => ThreadCpuSeconds();

    private static double ThreadCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return Environment.TickCount64 / 1000.0;
        ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out TimeSpec t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    /// <summary>rnn = nn.LSTM/GRU(4, H), head = nn.Linear(H, 1) applied to every step.</summary>
    private sealed class TorchRecurrentRegressor : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module? _lstm, _gru;
        private readonly nn.Module<Tensor, Tensor> _head;

        public TorchRecurrentRegressor(CellType cell, int inputs, int hidden) : base("regressor")
        {
            if (cell == CellType.Lstm) _lstm = nn.LSTM(inputs, hidden);
            else _gru = nn.GRU(inputs, hidden);
            _head = nn.Linear(hidden, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            Tensor output = _lstm is TorchSharp.Modules.LSTM lstm ? lstm.forward(x).Item1 : ((TorchSharp.Modules.GRU)_gru!).forward(x).Item1;
            return _head.forward(output);
        }
    }
}
