using Embedded.Evaluation.Text;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Detection.Tests;

public class GenerateTests
{
    private static ModelImage TextModel()
    {
        var model = RandomFloatModel.Create(CellType.Gru, 28, 24, 1, 28, seed: 3, task: TaskKind.NextSymbol, weightScale: 3.0);
        var rows = RandomFloatModel.Rows(model, 64, seed: 4);
        return Quantizer.Quantize(model, rows).Parse();
    }

    [Fact]
    public void XorShiftMatchesMarsagliasSequence()
    {
        var random = new XorShiftRandom(1);
        Assert.Equal(270369u, random.NextUInt());
        Assert.Equal(67634689u, random.NextUInt());
        Assert.Equal(2647435461u, random.NextUInt());
    }

    [Fact]
    public void SameSeedSameTextDifferentSeedDifferentText()
    {
        var model = TextModel();
        string a = TextGeneration.Generate(model, "the", 200, seed: 42);
        string b = TextGeneration.Generate(model, "the", 200, seed: 42);
        string c = TextGeneration.Generate(model, "the", 200, seed: 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(203, a.Length);
        Assert.StartsWith("the", a);
        Assert.All(a, ch => Assert.True(model.SymbolOf(ch) >= 0));
    }

    [Fact]
    public void ZeroTemperatureIsGreedy()
    {
        var model = TextModel();
        Assert.Equal(TextGeneration.Generate(model, "ab", 50, seed: 1, temperatureQ8: 0), TextGeneration.Generate(model, "ab", 50, seed: 99, temperatureQ8: 0));
    }

    [Fact]
    public void UnknownPrimeCharacterIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => TextGeneration.Generate(TextModel(), "the time", 10, seed: 1));
        Assert.Contains("position 3", e.Message);
    }

    [Fact]
    public void SamplerFollowsTheSoftmax()
    {
        // Logits 0, ln 2, ln 4 (Q8): probabilities 1/7, 2/7, 4/7.
        var sampler = new SymbolSampler(3, new XorShiftRandom(9));
        int[] logits = [0, (int)Math.Round(Math.Log(2) * 256), (int)Math.Round(Math.Log(4) * 256)];
        var counts = new int[3];
        for (int i = 0; i < 7000; i++) counts[sampler.Sample(logits, 8, SymbolSampler.TemperatureOne)]++;
        Assert.InRange(counts[0], 850, 1150);
        Assert.InRange(counts[1], 1800, 2200);
        Assert.InRange(counts[2], 3700, 4300);
        Assert.Equal(2, sampler.Sample(logits, 8, 0));
    }
}
