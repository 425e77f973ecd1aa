namespace Embedded.Evaluation.Corpus;

/// <summary>One file <see cref="InjectedCorpus"/> wrote: its relative name, the kind, the channel (-1: several), the episode's first row and length.</summary>
public sealed record InjectedFile(string Name, InjectedKind Kind, int Channel, int StartRow, int Rows);
