namespace Embedded.Evaluation.Corpus;

/// <summary>One file <see cref="ShortSeriesCorpus"/> wrote: its relative name (as in windows.json), rows, windows, and where it came from.</summary>
public sealed record ShortSeriesFile(string Name, string Source, int Rows, int Windows);
