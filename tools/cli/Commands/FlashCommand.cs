using System.CommandLine;
using Embedded.Cli.Flashing;
using Embedded.Shared.Flashing;
using Spectre.Console;

namespace Embedded.Cli.Commands;

/// <summary>`flash`: sends a model to a device running the firmware, over the framed serial protocol (docs/PROTOCOL.md).</summary>
internal static class FlashCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "Model image (model.bin) to install" };
        var port = new Option<string>("--port") { Description = "Serial port of the device, e.g. /dev/ttyUSB0 or COM5", Required = true };
        var baud = new Option<int>("--baud") { Description = "Baud rate (the firmware default is 115200)", DefaultValueFactory = _ => 115200 };
        var key = new Option<FileInfo?>("--key") { Description = "Provisioning key file (hex or raw bytes); signs the model with HMAC-SHA256" };
        var retries = new Option<int>("--retries") { Description = "Resends of one frame before giving up", DefaultValueFactory = _ => 8 };
        var timeout = new Option<int>("--timeout-ms") { Description = "Reply timeout per frame in milliseconds", DefaultValueFactory = _ => 500 };
        var force = new Option<bool>("--force") { Description = "Send even when the device already runs this exact model" };
        var modelVersion = new Option<uint>("--model-version") { Description = "With --key: the model's version, signed with it; a keyed device refuses versions below the one it has (rollback protection)", DefaultValueFactory = _ => 0u };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "With --key: sign permission to install a version below the device's" };
        var chunk = new Option<int>("--chunk") { Description = "Data bytes per frame (the device may lower it)", DefaultValueFactory = _ => ProtocolConstants.DefaultChunk };

        var command = new Command("flash", "Send a model to a device over serial: verified, then installed atomically (old model kept on any failure)");
        command.Arguments.Add(model);
        command.Options.Add(port);
        command.Options.Add(baud);
        command.Options.Add(key);
        command.Options.Add(retries);
        command.Options.Add(timeout);
        command.Options.Add(chunk);
        command.Options.Add(force);
        command.Options.Add(modelVersion);
        command.Options.Add(allowDowngrade);
        command.SetAction(parseResult =>
        {
            bool versioned = parseResult.GetResult(modelVersion) is { Implicit: false } || parseResult.GetValue(allowDowngrade);
            if (versioned && parseResult.GetValue(key) is null)
            {
                Console.Error.WriteLine("flash: --model-version and --allow-downgrade are part of the signature: give --key");
                return FlashExitCodes.BadInput;
            }
            byte flags = parseResult.GetValue(allowDowngrade) ? ModelEnvelope.FlagDowngrade : (byte)0;
            return Run(parseResult.GetValue(model)!, parseResult.GetValue(port)!, parseResult.GetValue(baud), parseResult.GetValue(key),
                parseResult.GetValue(retries), parseResult.GetValue(timeout), parseResult.GetValue(chunk), parseResult.GetValue(force), parseResult.GetValue(modelVersion), flags);
        });
        return command;
    }

    private static int Run(FileInfo modelFile, string portName, int baud, FileInfo? keyFile, int retries, int timeoutMs, int chunk, bool force, uint modelVersion, byte envelopeFlags)
    {
        if (baud <= 0 || retries < 0 || timeoutMs <= 0 || chunk <= 0 || chunk > ProtocolConstants.MaxChunk)
        {
            Console.Error.WriteLine($"flash: --baud, --timeout-ms must be positive, --retries >= 0, --chunk in 1..{ProtocolConstants.MaxChunk}");
            return FlashExitCodes.BadInput;
        }
        byte[] image;
        byte[]? tag = null;
        try
        {
            image = ModelFile.LoadVerified(modelFile.FullName);
            if (keyFile is not null)
            {
                if (!keyFile.Exists) throw new InvalidDataException(keyFile.FullName + ": key file not found");
                byte[] keyBytes;
                try
                {
                    keyBytes = FlashKey.Parse(File.ReadAllBytes(keyFile.FullName));
                }
                catch (ArgumentException e)
                {
                    throw new InvalidDataException(keyFile.FullName + ": " + e.Message);
                }
                tag = ModelEnvelope.Tag(keyBytes, modelVersion, envelopeFlags, image);
            }
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine("flash: " + e.Message);
            return FlashExitCodes.BadInput;
        }

        // .NET reports a missing Unix device node as "Access to the port ... is denied": say what it is.
        if (!OperatingSystem.IsWindows() && !File.Exists(portName))
        {
            Console.Error.WriteLine($"flash: no device: no such port {portName}");
            return FlashExitCodes.NoDevice;
        }

        SerialPortLink link;
        try
        {
            link = new SerialPortLink(portName, baud);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"flash: no device: cannot open {portName}: {e.Message}");
            return FlashExitCodes.NoDevice;
        }

        using (link)
        {
            var sender = new FlashSender(link, new StopwatchClock(), image, tag, Random.Shared.Next(0x10000))
            {
                MaxRetries = retries,
                ResponseTimeoutMs = timeoutMs,
                ChunkSize = chunk,
                SkipIfInstalled = !force,
                ModelVersion = modelVersion,
                EnvelopeFlags = envelopeFlags,
            };
            Console.Error.WriteLine($"flash: {modelFile.Name} ({image.Length} bytes, checksum {sender.ImageCrc:X8}{(tag is null ? ", unsigned" : $", signed, version {modelVersion}{(envelopeFlags != 0 ? ", downgrade allowed" : "")}")}) -> {portName} @ {baud}");
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("flashing", maxValue: image.Length);
                    FlashTransfer.Run(sender, (done, _) => task.Value = done, cancel.Token);
                    if (sender.State == SenderState.Done) task.Value = image.Length;
                });

            Console.CancelKeyPress -= onCancel;
            if (sender.State != SenderState.Done)
            {
                Console.Error.WriteLine("flash: " + Describe(sender));
                return FlashTransfer.ExitCode(sender);
            }
            var device = sender.Device!;
            if (sender.AlreadyInstalled)
            {
                Console.WriteLine($"flash: the device already runs this model (checksum {sender.ImageCrc:X8}); nothing sent (--force sends it again)");
                return 0;
            }
            Console.WriteLine($"flash: installed {image.Length} bytes (checksum {sender.ImageCrc:X8}) on firmware {device.FirmwareVersion >> 8}.{device.FirmwareVersion & 0xFF}; {sender.TotalRetries} retries");
            return 0;
        }
    }

    private static string Describe(FlashSender sender) => sender.Failure switch
    {
        SenderFailure.NoDevice => "no device: " + sender.FailureMessage,
        SenderFailure.VersionMismatch => "wrong firmware version: " + sender.FailureMessage,
        SenderFailure.TooLarge => "model too large: " + sender.FailureMessage,
        SenderFailure.RetriesExhausted => sender.FailureMessage,
        SenderFailure.AuthRefused => "not accepted: " + sender.FailureMessage,
        _ => sender.FailureMessage,
    };
}
