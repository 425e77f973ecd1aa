using System.Text;
using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;

namespace Embedded.Evaluation.Text;

/// <summary>
/// Samples text from a NextSymbol model on the fixed-point runtime: the prime is fed symbol by symbol
/// through Predictor.StepSymbol, then each next symbol is drawn from the integer logits by the portable
/// <see cref="SymbolSampler"/> (xorshift32 seeded by <c>seed</c>) and fed back. Everything after the
/// model load is integer arithmetic, so a device given the same model, prime and seed writes the same text.
/// </summary>
public static class TextGeneration
{
    public static string Generate(ModelImage model, string prime, int length, uint seed, int temperatureQ8 = SymbolSampler.TemperatureOne)
    {
        if (model.Task != TaskKind.NextSymbol) throw new ArgumentException($"the model is a {model.Task} model; generate needs a NextSymbol (text) model");
        if (length < 0) throw new ArgumentException($"--length must be 0 or more, is {length}");
        if (prime.Length == 0) throw new ArgumentException("--prime must hold at least one character");
        var symbols = new int[prime.Length];
        for (int i = 0; i < prime.Length; i++)
        {
            symbols[i] = model.SymbolOf(prime[i]);
            if (symbols[i] < 0) throw new ArgumentException($"--prime: character {Describe(prime[i])} at position {i} is not in the model's vocabulary ({model.Vocabulary.Length} symbols)");
        }

        var predictor = new Predictor(model);
        var logits = new int[model.OutputCount];
        var sampler = new SymbolSampler(model.OutputCount, new XorShiftRandom(seed));
        foreach (int symbol in symbols) predictor.StepSymbol(symbol, logits);
        var text = new StringBuilder(prime, prime.Length + length);
        for (int i = 0; i < length; i++)
        {
            int next = sampler.Sample(logits, model.OutputFracBits, temperatureQ8);
            text.Append(model.Vocabulary[next]);
            predictor.StepSymbol(next, logits);
        }
        return text.ToString();
    }

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
