using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;

namespace Embedded.Bench;

/// <summary>
/// What verifying and receiving a model costs the device, measured on the PC side by side with .NET's
/// own primitives: portable SHA-256/HMAC (nanoFramework has no System.Security.Cryptography) against
/// System.Security.Cryptography, and the COBS framing of a whole 16 KiB model.
/// dotnet run -c Release --project tools/bench -- --filter '*FirmwareFlashing*'
/// </summary>
[Config(typeof(InProcessShortRun))]
[MemoryDiagnoser]
public class FirmwareFlashingBenchmarks
{
    /// <summary>Short run in process: no generated project to build (slow on a busy 2-core machine).</summary>
    private sealed class InProcessShortRun : ManualConfig
    {
        public InProcessShortRun() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }

    private readonly byte[] _model = new byte[16 * 1024];
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _encoded = new byte[Cobs.MaxEncodedLength(ProtocolConstants.MaxFrame)];
    private readonly byte[] _decoded = new byte[ProtocolConstants.MaxFrame];

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_model);
        new Random(2).NextBytes(_key);
    }

    [Benchmark(Baseline = true, Description = "HMAC-SHA256 16 KiB, System.Security.Cryptography")]
    public byte[] HmacDotNet() => HMACSHA256.HashData(_key, _model);

    [Benchmark(Description = "HMAC-SHA256 16 KiB, portable (device code)")]
    public byte[] HmacPortable() => HmacSha256.Compute(_key, _model, 0, _model.Length);

    [Benchmark(Description = "CRC-32 16 KiB, portable (device code)")]
    public uint Crc() => Crc32.Compute(_model, 0, _model.Length);

    [Benchmark(Description = "COBS encode + decode 16 KiB in 1 KiB frames")]
    public int CobsRoundTrip()
    {
        int total = 0;
        for (int offset = 0; offset < _model.Length; offset += ProtocolConstants.MaxChunk)
        {
            int n = Cobs.Encode(_model, offset, ProtocolConstants.MaxChunk, _encoded, 0);
            total += Cobs.Decode(_encoded, 0, n, _decoded, 0);
        }
        return total;
    }
}
