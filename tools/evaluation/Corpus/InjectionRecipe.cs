namespace Embedded.Evaluation.Corpus;

/// <summary>
/// How <see cref="InjectedCorpus"/> makes its files: training rows left untouched (0: NAB's probation, 15 % of the
/// rows, at most 750), episode length (0: rows / 40, at least 20), files per kind, the seed, a factor on every size.
/// </summary>
public sealed record InjectionRecipe
{
    public int TrainRows { get; init; }
    public int EpisodeRows { get; init; }
    public int FilesPerKind { get; init; } = 3;
    public int Seed { get; init; } = 1;
    public double Magnitude { get; init; } = 1;
    public IReadOnlyList<InjectedKind> Kinds { get; init; } = Enum.GetValues<InjectedKind>();
}
