namespace Embedded.Firmware.Tests.Fakes;

/// <summary>Probabilities of each kind of damage a <see cref="SimLink"/> does to the bytes written into it.</summary>
public sealed record FaultProfile
{
    public double DropByte { get; init; }
    public double DuplicateByte { get; init; }
    public double FlipBit { get; init; }
    /// <summary>Swap a byte with its neighbour (reordering inside a frame).</summary>
    public double SwapBytes { get; init; }
    /// <summary>Cut a write short at a random point.</summary>
    public double Truncate { get; init; }
    /// <summary>Lose a whole write (a silent link: the peer times out).</summary>
    public double DropWrite { get; init; }
    /// <summary>Deliver a whole write twice.</summary>
    public double DuplicateWrite { get; init; }
    /// <summary>Hold a write back and deliver it after the next one (frame reordering).</summary>
    public double DelayWrite { get; init; }

    public static readonly FaultProfile Clean = new();

    public override string ToString() =>
        $"drop={DropByte} dup={DuplicateByte} flip={FlipBit} swap={SwapBytes} trunc={Truncate} dropW={DropWrite} dupW={DuplicateWrite} delayW={DelayWrite}";
}
