using System.Diagnostics;
using Embedded.Cli.Flashing;
using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;
using Embedded.Tests.Common;

namespace Embedded.Firmware.Tests;

/// <summary>
/// End to end over a pseudo-terminal pair (socat): the real System.IO.Ports.SerialPort on the PC side,
/// the firmware app with the device-side protocol and real models on the other. Skips without socat.
/// </summary>
public sealed class PtyEndToEndTests
{
    private static readonly byte[] OldModel = RealModels.Forecaster(seed: 1);
    private static readonly byte[] NewModel = RealModels.Forecaster(seed: 2);

    private static string FlashFolderWithOldModel()
    {
        string folder = TestPaths.NewTempDir();
        File.WriteAllBytes(Path.Combine(folder, ModelStore.ModelFile), OldModel);
        return folder;
    }

    [SkippableFact]
    public void SerialPort_flashes_a_real_model_into_the_device_over_a_pty_pair()
    {
        Skip.If(SocatPair.SocatPath() is null, "socat not installed");
        using var pair = SocatPair.Start();
        string folder = FlashFolderWithOldModel();
        FlashSender sender;
        using (var device = new DeviceSimulator(pair.Second, folder))
        {
            Assert.Equal("flash", device.App.ModelSource);
            using var link = new SerialPortLink(pair.First, 115200);
            sender = new FlashSender(link, new StopwatchClock(), NewModel, null, 99) { ChunkSize = 512 };
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            FlashTransfer.Run(sender, null, cancel.Token);
            Assert.True(sender.State == SenderState.Done, sender.FailureMessage);
            lock (device.App) Assert.Equal(ModelChecksum.Compute(NewModel), device.App.ModelCrc);
        }
        Assert.Equal(NewModel, File.ReadAllBytes(Path.Combine(folder, ModelStore.ModelFile)));
        Assert.Equal(new[] { ModelStore.ModelFile }, Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void Flash_command_installs_a_signed_model_and_refuses_a_wrongly_signed_one()
    {
        Skip.If(SocatPair.SocatPath() is null, "socat not installed");
        using var pair = SocatPair.Start();
        string folder = FlashFolderWithOldModel();
        File.WriteAllText(Path.Combine(folder, "flash.key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        string work = TestPaths.NewTempDir();
        string modelPath = Path.Combine(work, "model.bin");
        File.WriteAllBytes(modelPath, NewModel);
        string goodKey = Path.Combine(work, "good.key");
        File.WriteAllText(goodKey, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        string badKey = Path.Combine(work, "bad.key");
        File.WriteAllText(badKey, "ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

        using (var device = new DeviceSimulator(pair.Second, folder))
        {
            var unsigned = Cli.Run("flash", modelPath, "--port", pair.First);
            Assert.True(unsigned.ExitCode == FlashExitCodes.Rejected, unsigned.StdOut + unsigned.StdErr);
            Assert.Contains("--key", unsigned.StdErr);

            var wrong = Cli.Run("flash", modelPath, "--port", pair.First, "--key", badKey);
            Assert.Equal(FlashExitCodes.Rejected, wrong.ExitCode);
            Assert.Contains("signature invalid", wrong.StdErr);
            Assert.Equal(OldModel, File.ReadAllBytes(Path.Combine(folder, ModelStore.ModelFile)));

            var good = Cli.Run("flash", modelPath, "--port", pair.First, "--key", goodKey);
            Assert.True(good.ExitCode == 0, good.StdErr);
            Assert.Contains("installed " + NewModel.Length + " bytes", good.StdOut);
            // The unsigned attempt never left the PC (the device advertises its key); the wrong tag was counted.
            lock (device.App) Assert.Equal(1, device.App.Receiver.Stats.AuthRefused);
        }
        Assert.Equal(NewModel, File.ReadAllBytes(Path.Combine(folder, ModelStore.ModelFile)));
    }

    [SkippableFact]
    public void Flash_command_reports_no_device_and_too_large_clearly()
    {
        Skip.If(SocatPair.SocatPath() is null, "socat not installed");
        string work = TestPaths.NewTempDir();
        string modelPath = Path.Combine(work, "model.bin");
        File.WriteAllBytes(modelPath, NewModel);

        var missing = Cli.Run("flash", modelPath, "--port", "/dev/does-not-exist");
        Assert.Equal(FlashExitCodes.NoDevice, missing.ExitCode);
        Assert.Contains("no device", missing.StdErr);

        using (var silent = SocatPair.Start())
        {
            var nobody = Cli.Run("flash", modelPath, "--port", silent.First, "--retries", "1", "--timeout-ms", "100");
            Assert.Equal(FlashExitCodes.NoDevice, nobody.ExitCode);
            Assert.Contains("no reply to Hello after 2 tries", nobody.StdErr);
        }

        using var pair = SocatPair.Start();
        using (new DeviceSimulator(pair.Second, FlashFolderWithOldModel(), maxModelSize: 256))
        {
            var tooLarge = Cli.Run("flash", modelPath, "--port", pair.First);
            Assert.Equal(FlashExitCodes.TooLarge, tooLarge.ExitCode);
            Assert.Contains("model too large", tooLarge.StdErr);
            Assert.Contains("at most 256", tooLarge.StdErr);
        }
    }
}

/// <summary>Runs the built `embedded` CLI as a child process.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static Result Run(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "embedded.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            throw new TimeoutException("embedded " + string.Join(' ', args) + " did not finish");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
