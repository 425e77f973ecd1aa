namespace Embedded.Evaluation.Nab;

/// <summary>
/// The outcome of scoring some files at one threshold: raw NAB score, window and detection counts, and
/// the normalised score 100 * (raw - null) / (perfect - null), where the null detector (never fires)
/// scores -A_FN per window and the perfect one A_TP per window. Normalised is null without windows.
/// </summary>
public sealed record NabTally(double Raw, int Windows, int DetectedWindows, int FalsePositiveRows, NabProfile Profile)
{
    public int MissedWindows => Windows - DetectedWindows;
    public double NullScore => -Profile.FalseNegativeWeight * Windows;
    public double PerfectScore => Profile.TruePositiveWeight * Windows;

    public double? Normalized => Windows == 0 ? null : 100.0 * (Raw - NullScore) / (PerfectScore - NullScore);

    public NabTally Add(NabTally other) =>
        new(Raw + other.Raw, Windows + other.Windows, DetectedWindows + other.DetectedWindows, FalsePositiveRows + other.FalsePositiveRows, Profile);

    public static NabTally Empty(NabProfile profile) => new(0, 0, 0, 0, profile);
}
