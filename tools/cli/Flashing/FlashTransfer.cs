using Embedded.Shared.Flashing;

namespace Embedded.Cli.Flashing;

/// <summary>Drives a <see cref="FlashSender"/> over a real link until it finishes, reporting progress.</summary>
public static class FlashTransfer
{
    /// <summary>Polls the sender, sleeping briefly when there is nothing to read; returns the finished sender.</summary>
    public static FlashSender Run(FlashSender sender, Action<int, int>? progress = null, CancellationToken cancel = default)
    {
        int lastReported = -1;
        while (!sender.IsFinished && !cancel.IsCancellationRequested)
        {
            sender.Poll();
            if (sender.BytesAcknowledged != lastReported)
            {
                lastReported = sender.BytesAcknowledged;
                progress?.Invoke(lastReported, sender.TotalBytes);
            }
            Thread.Sleep(1);
        }
        if (!sender.IsFinished) sender.Abort("cancelled; the device keeps its current model");
        return sender;
    }

    /// <summary>Exit code of the `flash` command for a finished sender.</summary>
    public static int ExitCode(FlashSender sender) => sender.Failure switch
    {
        SenderFailure.None => 0,
        SenderFailure.NoDevice => FlashExitCodes.NoDevice,
        SenderFailure.VersionMismatch => FlashExitCodes.WrongFirmware,
        SenderFailure.TooLarge => FlashExitCodes.TooLarge,
        SenderFailure.RetriesExhausted or SenderFailure.Stalled => FlashExitCodes.TransferFailed,
        _ => FlashExitCodes.Rejected,
    };
}
