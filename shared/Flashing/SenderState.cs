namespace Embedded.Shared.Flashing
{
    /// <summary>Where the PC side of a transfer is.</summary>
    public enum SenderState
    {
        NotStarted = 0,
        Hello = 1,
        Begin = 2,
        Data = 3,
        End = 4,
        Done = 5,
        Failed = 6,
    }
}
