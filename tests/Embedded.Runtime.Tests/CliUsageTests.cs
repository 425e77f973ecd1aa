using System.CommandLine;
using Embedded.Cli.Commands;
using Embedded.Tests.Common;

namespace Embedded.Runtime.Tests;

/// <summary>
/// Careless command lines: every bad option value is refused up front with one line naming the option
/// and exit code 2 (no stack trace, no help dump, no .NET type names), and nothing is read or written.
/// </summary>
[Collection("Console")]
public class CliUsageTests
{
    private static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand("test")
        {
            TrainCommand.Create(), QuantizeCommand.Create(), InspectCommand.Create(), BenchCommand.Create(), DetectCommand.Create(),
            EvaluateCommand.Create(), GenerateCommand.Create(), FlashCommand.Create(), CorpusCommand.Create(), RecordCommand.Create(),
        };
        var error = new StringWriter();
        var output = new StringWriter();
        TextWriter oldError = Console.Error, oldOut = Console.Out;
        Console.SetError(error);
        Console.SetOut(output);
        try
        {
            return (CliInvoker.Invoke(root, args), error.ToString());
        }
        finally
        {
            Console.SetError(oldError);
            Console.SetOut(oldOut);
        }
    }

    [Theory]
    [InlineData("--hidden", "detect --data d.csv --out o.csv --hidden 0")]
    [InlineData("--epochs", "detect --data d.csv --out o.csv --epochs -1")]
    [InlineData("--epochs", "detect --data d.csv --out o.csv --epochs 0")]
    [InlineData("--hidden", "detect --data d.csv --out o.csv --hidden 100000")]
    [InlineData("--hidden", "train --data d.csv --hidden 100000")]
    [InlineData("--layers", "train --data d.csv --layers 0")]
    [InlineData("--epochs", "train --data d.csv --epochs 0")]
    [InlineData("--window", "train --data d.csv --window 1000000000 --batch 1000000")]
    [InlineData("--cell", "train --data d.csv --cell transformer")]
    [InlineData("--bits", "quantize --model m.ckpt --out m.bin --bits 4")]
    [InlineData("--golden", "quantize --model m.ckpt --out m.bin --golden -1")]
    [InlineData("--steps", "bench m.bin --steps 0")]
    [InlineData("--cell", "detect --data d.csv --out o.csv --cell foo")]
    [InlineData("--train-rows", "detect --data d.csv --out o.csv --train-rows abc")]
    [InlineData("--ensemble", "detect --data d.csv --out o.csv --candidates 2 --ensemble 3")]
    [InlineData("--temperature", "generate --model m.bin --temperature -1")]
    [InlineData("--plot", "detect --data d.csv --out o.csv --plot p.jpg")]
    [InlineData("--min-rows", "corpus short --data d --out o --min-rows 0")]
    [InlineData("--before", "corpus short --data d --out o --before -1")]
    [InlineData("--aggregate-to", "corpus short --data d --out o --aggregate-to x")]
    [InlineData("--seconds", "record --port p --out o.csv --seconds 0")]
    [InlineData("--samples", "record --port p --out o.csv --samples 0")]
    [InlineData("--baud", "record --port p --out o.csv --baud 0")]
    [InlineData("--samples", "record --port p --out o.csv --seconds 5 --samples 10")]
    [InlineData("--out", "record --port p")]
    public void A_bad_option_is_a_one_line_usage_error_naming_it(string option, string commandLine)
    {
        var (code, error) = Run(commandLine.Split(' '));
        Assert.Equal(2, code);
        string first = error.Split('\n')[0];
        Assert.Contains(option, first);
        Assert.DoesNotContain("Exception", error);
        Assert.DoesNotContain("System.", error);
        Assert.DoesNotContain("Embedded.", error);
        Assert.DoesNotContain("Usage:", error);
    }

    [Fact]
    public void Save_model_with_a_folder_of_data_is_refused()
    {
        string dir = TestPaths.NewTempDir();
        var (code, error) = Run("detect", "--data", dir, "--out", Path.Combine(dir, "out"), "--save-model", Path.Combine(dir, "x.bin"));
        Assert.Equal(2, code);
        Assert.Contains("--save-model", error);
    }

    [Fact]
    public void Quantize_given_a_quantized_model_says_to_pass_the_checkpoint()
    {
        string dir = TestPaths.NewTempDir();
        string bin = Path.Combine(dir, "model.bin");
        File.WriteAllBytes(bin, TestModels.Make(Embedded.Shared.Model.CellType.Gru, 8, inputs: 1, hidden: 4, layers: 1, outputs: 1).Quantized.Image);
        var (code, error) = Run("quantize", "--model", bin, "--out", Path.Combine(dir, "again.bin"));
        Assert.Equal(1, code);
        Assert.Contains("is a quantized model", error);
        Assert.Contains("checkpoint", error);
    }

    [SkippableFact]
    public void Flash_to_a_missing_port_says_no_such_port()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix device nodes");
        string dir = TestPaths.NewTempDir();
        string bin = Path.Combine(dir, "model.bin");
        File.WriteAllBytes(bin, TestModels.Make(Embedded.Shared.Model.CellType.Gru, 8, inputs: 1, hidden: 4, layers: 1, outputs: 1).Quantized.Image);
        var (code, error) = Run("flash", bin, "--port", "/dev/ttyUSB-does-not-exist");
        Assert.Equal(3, code);
        Assert.Contains("no such port", error);
        Assert.DoesNotContain("denied", error);
    }

    [Fact]
    public void Resume_with_no_epochs_left_refuses_and_leaves_every_file_as_it_was()
    {
        string dir = TestPaths.NewTempDir();
        string csv = Path.Combine(dir, "data.csv");
        File.WriteAllLines(csv, new[] { "value" }.Concat(Enumerable.Range(0, 120).Select(i => Math.Sin(i * 0.3).ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        string ckpt = Path.Combine(dir, "model.ckpt");
        string[] common = ["train", "--data", csv, "--out", ckpt, "--hidden", "4", "--window", "8", "--cell", "gru"];
        Assert.Equal(0, Run([.. common, "--epochs", "2"]).Code);
        string report = Path.Combine(dir, "model.report.json");
        byte[] reportBefore = File.ReadAllBytes(report), modelBefore = File.ReadAllBytes(ckpt);

        foreach (string epochs in new[] { "2", "1" })
        {
            var (code, error) = Run([.. common, "--resume", "--epochs", epochs]);
            Assert.Equal(1, code);
            Assert.Contains("already run 2 epoch(s)", error);
            Assert.Equal(reportBefore, File.ReadAllBytes(report));
            Assert.Equal(modelBefore, File.ReadAllBytes(ckpt));
        }
    }
}
