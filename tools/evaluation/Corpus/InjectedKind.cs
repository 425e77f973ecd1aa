namespace Embedded.Evaluation.Corpus;

/// <summary>The kinds of episode <see cref="InjectedCorpus"/> writes.</summary>
public enum InjectedKind { Spike, Level, Drift, Noise, Stuck, Joint }
