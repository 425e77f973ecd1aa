namespace Embedded.Evaluation.Nab;

/// <summary>
/// A NAB application profile: the weights of true positives, false positives and false negatives
/// (NAB's config/profiles.json; A_TN is 1 in every profile but true negatives score nothing).
/// </summary>
public sealed record NabProfile(string Name, double TruePositiveWeight, double FalsePositiveWeight, double FalseNegativeWeight, double TrueNegativeWeight = 1.0)
{
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);
    public static NabProfile RewardLowFalsePositives { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static NabProfile RewardLowFalseNegatives { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);

    public static IReadOnlyList<NabProfile> All { get; } = [Standard, RewardLowFalsePositives, RewardLowFalseNegatives];
}
