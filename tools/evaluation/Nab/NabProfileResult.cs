namespace Embedded.Evaluation.Nab;

/// <summary>NAB result of one profile: the threshold chosen over all files jointly and the tallies at it.</summary>
public sealed record NabProfileResult(
    NabProfile Profile,
    double Threshold,
    NabTally Total,
    IReadOnlyDictionary<string, NabTally> ByCategory,
    IReadOnlyDictionary<string, NabTally> ByFile);
