using System.CommandLine;
using Embedded.Evaluation.Text;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;

namespace Embedded.Cli.Commands;

/// <summary>`generate`: sample text from a NextSymbol model through the fixed-point runtime with a seeded integer sampler.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "A NextSymbol (text) model.bin", Required = true };
        var prime = new Option<string>("--prime") { Description = "Text to start from", DefaultValueFactory = _ => "the time" };
        var length = new Option<int>("--length") { Description = "Symbols to generate after the prime", DefaultValueFactory = _ => 200 };
        var seed = new Option<uint>("--seed") { Description = "Sampler seed (same seed, same text on PC and device)", DefaultValueFactory = _ => 1u };
        var temperature = new Option<double>("--temperature") { Description = "Softmax temperature; 0 = always the most likely symbol", DefaultValueFactory = _ => 1.0 };
        length.Between(0, 1_000_000);
        temperature.Between(0, 100);
        var command = new Command("generate", "Sample text from a NextSymbol model on the fixed-point runtime (deterministic for a seed)")
        {
            model, prime, length, seed, temperature,
        };
        command.SetAction(parse =>
        {
            try
            {
                var path = parse.GetValue(model)!;
                if (!path.Exists) throw new FileNotFoundException($"{path.FullName}: no such model file");
                double t = parse.GetValue(temperature);
                if (double.IsNaN(t) || t < 0 || t > 100) throw new ArgumentException($"--temperature must be 0..100, is {t}");
                ModelImage image;
                try { image = ModelImage.Parse(File.ReadAllBytes(path.FullName)); }
                catch (ModelFormatException e) { throw new InvalidDataException($"{path.FullName}: {e.Message}"); }
                int q8 = (int)Math.Round(t * SymbolSampler.TemperatureOne);
                Console.WriteLine(TextGeneration.Generate(image, parse.GetValue(prime)!, parse.GetValue(length), parse.GetValue(seed), q8));
                return 0;
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException)
            {
                Console.Error.WriteLine($"generate: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
