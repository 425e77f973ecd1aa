namespace Embedded.Cli.Flashing;

/// <summary>Exit codes of `flash` (documented in docs/FIRMWARE.md) so scripts can tell failures apart.</summary>
public static class FlashExitCodes
{
    public const int BadInput = 2;
    public const int NoDevice = 3;
    public const int WrongFirmware = 4;
    public const int TooLarge = 5;
    public const int TransferFailed = 6;
    public const int Rejected = 7;
}
