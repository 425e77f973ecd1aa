using System.CommandLine;
using System.Text.Json;
using Embedded.Cli.Commands;
using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Tests;

/// <summary>`train` records its data source; `quantize` without --calibration calibrates on it (issue 3).</summary>
[Collection("Console")]
public class QuantizeDefaultsTests
{
    /// <summary>Runs the CLI verbs in-process; returns the exit code and what went to stderr.</summary>
    private static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand("test") { TrainCommand.Create(), QuantizeCommand.Create() };
        var error = new StringWriter();
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Null);
        Console.SetError(error);
        try { return (root.Parse(args).Invoke(), error.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldError); }
    }

    private static void TrainTiny(string csv, string checkpoint) =>
        Assert.Equal(0, Run("train", "--data", csv, "--target", "value", "--cell", "gru", "--hidden", "4", "--window", "16",
            "--stride", "8", "--epochs", "1", "--out", checkpoint).Code);

    [Fact]
    public void Train_records_the_data_source_and_quantize_calibrates_on_it_by_default()
    {
        string dir = TestPaths.NewTempDir();
        string csv = Path.Combine(dir, "sine.csv");
        File.Copy(TrainingTests.NoisySineCsv(400), csv);
        string checkpoint = Path.Combine(dir, "model.ckpt");
        TrainTiny(csv, checkpoint);

        var source = FloatModelFile.Load(checkpoint).TrainingData;
        Assert.NotNull(source);
        Assert.Equal(TrainingDataSource.CsvFormat, source.Format);
        Assert.Equal(csv, source.AbsolutePath);
        Assert.Equal("sine.csv", source.RelativePath);

        string bin = Path.Combine(dir, "model.bin");
        Assert.Equal(0, Run("quantize", "--model", checkpoint, "--bits", "16", "--out", bin).Code);
        using var report = JsonDocument.Parse(File.ReadAllText(bin + ".report.json"));
        Assert.True(report.RootElement.GetProperty("rmse_fixed").GetDouble() > 0);
        Assert.True(report.RootElement.GetProperty("rmse_float").GetDouble() > 0);
    }

    [Fact]
    public void A_moved_folder_is_found_relative_to_the_checkpoint_and_a_missing_file_is_named()
    {
        string dir = TestPaths.NewTempDir();
        string csv = Path.Combine(dir, "sine.csv");
        File.Copy(TrainingTests.NoisySineCsv(400), csv);
        TrainTiny(csv, Path.Combine(dir, "model.ckpt"));

        string moved = Path.Combine(TestPaths.NewTempDir(), "moved");
        Directory.Move(dir, moved);
        string checkpoint = Path.Combine(moved, "model.ckpt");
        Assert.Equal(0, Run("quantize", "--model", checkpoint, "--bits", "8", "--out", Path.Combine(moved, "model.bin")).Code);

        File.Delete(Path.Combine(moved, "sine.csv"));
        string bin = Path.Combine(moved, "again.bin");
        var (code, error) = Run("quantize", "--model", checkpoint, "--out", bin);
        Assert.Equal(1, code);
        Assert.Contains(csv, error);
        Assert.Contains("--calibration", error);
        Assert.False(File.Exists(bin));
    }

    [Fact]
    public void A_checkpoint_without_a_recorded_source_still_loads_and_asks_for_calibration()
    {
        string dir = TestPaths.NewTempDir();
        var model = FloatModelFactory.Create(CellType.Lstm, TaskKind.Forecast, 1, 3, 1, false, 1, new Random(1),
            new FloatModel { Cell = CellType.Lstm, Task = TaskKind.Forecast, InputSize = 1, HiddenSize = 3, Layers = 1, OutputSize = 1,
                InputMean = [0], InputStd = [1], TargetMean = [0], TargetStd = [1], FeatureColumns = ["value"], TargetColumns = ["value"] });
        string checkpoint = Path.Combine(dir, "old.ckpt");
        FloatModelFile.Save(checkpoint, model);
        Assert.Null(FloatModelFile.Load(checkpoint).TrainingData);

        var (code, error) = Run("quantize", "--model", checkpoint, "--out", Path.Combine(dir, "m.bin"));
        Assert.Equal(1, code);
        Assert.Contains("does not record its training data", error);
        Assert.Contains("--calibration", error);
    }

    [Fact]
    public void A_text_model_imported_from_safetensors_is_converted_and_quantized_with_its_vocabulary()
    {
        string dir = TestPaths.NewTempDir();
        string text = Path.Combine(dir, "story.txt");
        File.WriteAllLines(text, Enumerable.Repeat("The Time Traveller (for so it will be convenient to speak of him) was expounding a recondite matter to us.", 8));
        var pytorch = FloatModelFactory.Create(CellType.Gru, TaskKind.NextSymbol, 28, 6, 1, false, 28, new Random(2));
        string weights = Path.Combine(dir, "gru.safetensors");
        PyTorchWeights.Export(weights, pytorch);

        string checkpoint = Path.Combine(dir, "gru.ckpt");
        Assert.Equal(0, Run("train", "--task", "text", "--data", text, "--import-safetensors", weights, "--epochs", "0",
            "--batch", "2", "--window", "8", "--out", checkpoint).Code);
        var converted = FloatModelFile.Load(checkpoint);
        Assert.Equal(TextCorpusVocabulary, converted.Vocabulary);
        Assert.Equal(TrainingDataSource.TextFormat, converted.TrainingData!.Format);

        string bin = Path.Combine(dir, "gru.bin");
        Assert.Equal(0, Run("quantize", "--model", checkpoint, "--bits", "16", "--out", bin).Code);
        var image = ModelImage.Parse(File.ReadAllBytes(bin));
        Assert.Equal(0, Embedded.Shared.Predictor.CountGoldenMismatches(image));
    }

    private const string TextCorpusVocabulary = Embedded.Trainer.Data.TextCorpus.D2lVocabulary;
}
