using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Embedded.Trainer.Tests;

/// <summary>
/// Issue 17 item 5, "same seed, same model, on every CPU": `embedded train` with one seed on each SIMD path this x64 can be
/// forced onto, each in a child process of the CLI: the widest (AVX-512 where the CPU has it), AVX2
/// (<c>DOTNET_EnableAVX512=0</c>; .NET 10 ignores the older <c>DOTNET_EnableAVX512F</c>) and the 128-bit/scalar path
/// (<c>DOTNET_EnableAVX2=0</c>: the GEMM's scalar kernel, Vector128 element-wise loops). The checkpoints' bytes must be equal.
/// </summary>
public class SameSeedEveryCpuTests
{
    private static readonly (string Name, string? Variable)[] Paths =
    [
        ("widest", null),
        ("avx2", "DOTNET_EnableAVX512"),
        ("scalar", "DOTNET_EnableAVX2"),
    ];

    [Theory]
    [InlineData("lstm", 20, "float32")] // general LSTM path (units not a whole number of vectors) on every CPU
    [InlineData("lstm", 24, "float32")] // fused on AVX2 (3 vectors of 8), general on AVX-512 (not whole 16s) and the scalar path
    [InlineData("lstm", 32, "float32")] // fused on AVX-512 and AVX2, general on the scalar path
    [InlineData("lstm", 32, "float64")] // the same in double (FastExp's double exp at every width)
    [InlineData("gru", 20, "float32")]
    [InlineData("gru", 32, "float32")]
    public void Same_seed_gives_the_same_checkpoint_bytes_on_every_forced_path(string cell, int hidden, string precision)
    {
        var bytes = Paths.Select(p => Train(cell, hidden, p.Variable, precision)).ToArray();
        for (int i = 1; i < Paths.Length; i++)
            Assert.True(bytes[0].AsSpan().SequenceEqual(bytes[i]),
                $"{cell} H={hidden}: {Paths[i].Name} differs from {Paths[0].Name} at byte {FirstDifference(bytes[0], bytes[i])}");
    }

    /// <summary>LSTM at H = 32 takes the fused forward pass on AVX-512 and AVX2 (whole vectors of units): those two agree.</summary>
    [Fact]
    public void Fused_lstm_gives_the_same_checkpoint_bytes_on_avx512_and_avx2()
    {
        byte[] widest = Train("lstm", 32, null), avx2 = Train("lstm", 32, "DOTNET_EnableAVX512");
        Assert.True(widest.AsSpan().SequenceEqual(avx2), $"avx2 differs at byte {FirstDifference(widest, avx2)}");
    }

    /// <summary>
    /// Without 256-bit vectors (DOTNET_EnableAVX2=0 here; arm64, the Pi, the same) `LstmFusedForward.Supports` is false and the
    /// LSTM takes the general path: products through the GEMM kernel, then LstmCell's element-wise forward, which applies the
    /// fused pass's epilogue operation for operation (FastExp's sigmoid at every width, c = fma(f, c_prev, i·g)).
    /// </summary>
    [Fact]
    public void Fused_lstm_gives_the_same_checkpoint_bytes_on_the_scalar_path()
    {
        byte[] widest = Train("lstm", 32, null), scalar = Train("lstm", 32, "DOTNET_EnableAVX2");
        Assert.True(widest.AsSpan().SequenceEqual(scalar), $"scalar differs at byte {FirstDifference(widest, scalar)}");
    }

    /// <summary>
    /// `--fast-math` only changes the general LSTM path (library sigmoid/tanh there): where this CPU takes the fused pass (H = 32 on
    /// AVX-512/AVX2) the model is the default one; on the general path (H = 20) it trains, with bits of its own.
    /// </summary>
    [Fact]
    public void Fast_math_changes_only_the_general_lstm_path()
    {
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            Assert.True(Train("lstm", 32, null).AsSpan().SequenceEqual(Train("lstm", 32, null, fastMath: true)), "--fast-math changed the fused path");
        byte[] exact = Train("lstm", 20, null), fast = Train("lstm", 20, null, fastMath: true);
        Assert.Equal(exact.Length, fast.Length);
    }

    private static long FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }

    private static byte[] Train(string cell, int hidden, string? disable, string precision = "float32", bool fastMath = false)
    {
        // One directory per shape, reused by every path (the runs of a class are sequential): the checkpoint records the
        // data file's absolute path, which must be the same for the bytes to be.
        string dir = Path.Combine(Path.GetTempPath(), $"same-seed-{Environment.ProcessId}-{cell}{hidden}{precision}");
        Directory.CreateDirectory(dir);
        try
        {
            string csv = Path.Combine(dir, "d.csv"), ckpt = Path.Combine(dir, "m.ckpt");
            var sb = new StringBuilder("timestamp,a,b\n");
            var random = new Random(3);
            for (int i = 0; i < 300; i++)
                sb.Append(CultureInfo.InvariantCulture, $"{i},{Math.Sin(i / 7.0) + 0.1 * random.NextDouble():F5},{2 * Math.Cos(i / 11.0) + 0.1 * random.NextDouble():F5}\n");
            File.WriteAllText(csv, sb.ToString());
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "embedded.dll"));
            foreach (string a in new[] { "train", "--data", "d.csv", "--cell", cell, "--hidden", hidden.ToString(CultureInfo.InvariantCulture),
                         "--epochs", "2", "--window", "16", "--batch", "8", "--seed", "5", "--patience", "0", "--precision", precision, "--out", "m.ckpt" })
                psi.ArgumentList.Add(a);
            if (fastMath) psi.ArgumentList.Add("--fast-math");
            psi.Environment["NO_COLOR"] = "1";
            if (disable != null) psi.Environment[disable] = "0";
            using var process = Process.Start(psi)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "train did not finish");
            Assert.True(process.ExitCode == 0, $"train ({disable}=0) exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
            return File.ReadAllBytes(ckpt);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
