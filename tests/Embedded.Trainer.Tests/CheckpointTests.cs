using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Tests;

/// <summary>The float model file and safetensors import/export round trips, and corrupt-file errors.</summary>
public class CheckpointTests
{
    private static FloatModel Sample(CellType cell = CellType.Gru, bool bidirectional = true)
    {
        var template = new FloatModel
        {
            Cell = cell, Task = TaskKind.Forecast, InputSize = 3, HiddenSize = 5, Layers = 2, Bidirectional = bidirectional, OutputSize = 2,
            InputMean = [1, 2, 3], InputStd = [0.5, 1, 2], TargetMean = [4, 5], TargetStd = [6, 7],
            FeatureColumns = ["a", "b", "c"], TargetColumns = ["a", "c"], TimestampColumn = "time", Horizon = 3, Window = 16,
            SamplePeriodSeconds = 300,
        };
        return FloatModelFactory.Create(cell, TaskKind.Forecast, 3, 5, 2, bidirectional, 2, new Random(3), template);
    }

    [Fact]
    public void FloatModelFileRoundTripsEverything()
    {
        var model = Sample();
        string path = Path.Combine(TestPaths.NewTempDir(), "m.ckpt");
        FloatModelFile.Save(path, model);
        var back = FloatModelFile.Load(path, out var state);
        Assert.Null(state);
        Assert.Equal(model.Cell, back.Cell);
        Assert.Equal(model.Bidirectional, back.Bidirectional);
        Assert.Equal(model.InputStd, back.InputStd);
        Assert.Equal(model.TargetColumns, back.TargetColumns);
        Assert.Equal(model.TimestampColumn, back.TimestampColumn);
        Assert.Equal(3, back.Horizon);
        Assert.Equal(300, back.SamplePeriodSeconds);
        foreach (var (name, t) in model.Parameters) Assert.Equal(t.Data, back[name].Data);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"));
    }

    [Fact]
    public void SafetensorsExportImportKeepsPyTorchNames()
    {
        var model = Sample(CellType.Lstm, bidirectional: false);
        string path = Path.Combine(TestPaths.NewTempDir(), "w.safetensors");
        PyTorchWeights.Export(path, model, asFloat32: false);
        var raw = SafeTensorsFile.Read(path);
        Assert.Contains("rnn.weight_ih_l1", raw.Tensors.Keys);
        Assert.Contains("head.bias", raw.Tensors.Keys);
        Assert.Equal([20, 5], raw.Tensors["rnn.weight_hh_l0"].Shape);
        var back = PyTorchWeights.Import(path, TaskKind.Forecast);
        Assert.Equal(CellType.Lstm, back.Cell);
        Assert.Equal(2, back.Layers);
        Assert.False(back.Bidirectional);
        foreach (var (name, t) in model.Parameters) Assert.Equal(t.Data, back[name].Data);
    }

    [Fact]
    public void Float32ExportIsWithinSinglePrecision()
    {
        var model = Sample();
        string path = Path.Combine(TestPaths.NewTempDir(), "w32.safetensors");
        PyTorchWeights.Export(path, model);
        var back = PyTorchWeights.Import(path, TaskKind.Forecast);
        Assert.True(back.Bidirectional);
        foreach (var (name, t) in model.Parameters)
            for (int i = 0; i < t.Data.Length; i++) Assert.Equal((float)t.Data[i], back[name].Data[i]);
    }

    [Fact]
    public void CorruptFilesGiveClearErrors()
    {
        string dir = TestPaths.NewTempDir();
        string truncated = Path.Combine(dir, "t.ckpt");
        FloatModelFile.Save(truncated, Sample());
        byte[] bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Contains("t.ckpt", Assert.Throws<SafeTensorsFormatException>(() => FloatModelFile.Load(truncated)).Message);

        string tiny = Path.Combine(dir, "tiny.ckpt");
        File.WriteAllBytes(tiny, [1, 2, 3]);
        Assert.Throws<SafeTensorsFormatException>(() => FloatModelFile.Load(tiny));

        string plain = Path.Combine(dir, "plain.safetensors");
        PyTorchWeights.Export(plain, Sample());
        Assert.Contains("--import-safetensors", Assert.Throws<SafeTensorsFormatException>(() => FloatModelFile.Load(plain)).Message);
    }
}
