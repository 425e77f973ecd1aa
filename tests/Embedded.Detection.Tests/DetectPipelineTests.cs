using System.Globalization;
using Embedded.Evaluation.Data;
using Embedded.Evaluation.Detection;
using Embedded.Shared.Model;
using Embedded.Tests.Common;
using Embedded.Trainer.Quantization;

namespace Embedded.Detection.Tests;

public class DetectPipelineTests
{
    /// <summary>A 5-minute sine stream with a spike at row 300, a missing value at row 100 and a repeated timestamp at row 200.</summary>
    internal static string WriteStream(string folder, string name, int rows = 400, int spikeAt = 300)
    {
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var lines = new List<string> { "timestamp,value" };
        var random = new Random(11);
        for (int t = 0; t < rows; t++)
        {
            double v = 50 + 10 * Math.Sin(2 * Math.PI * t / 48.0) + random.NextDouble();
            if (t == spikeAt) v += 60;
            var time = start.AddMinutes(5 * (t == 200 ? t - 1 : t));
            string value = t == 100 ? "" : v.ToString("0.###", CultureInfo.InvariantCulture);
            lines.Add($"{time:yyyy-MM-dd HH:mm:ss},{value}");
        }
        string path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, lines);
        return path;
    }

    internal static string WriteRandomModel(string folder, string dataPath)
    {
        var model = RandomFloatModel.Create(CellType.Lstm, 1, 8, 1, 1, seed: 5);
        var rows = DetectPipeline.FillGaps(TimeSeriesCsv.Read(dataPath).Head(120));
        var quantized = Quantizer.Quantize(model, rows);
        string path = Path.Combine(folder, "model.bin");
        File.WriteAllBytes(path, quantized.Image);
        return path;
    }

    [Fact]
    public void DetectWithAModelWritesOneRowPerInputRowInOrder()
    {
        string dir = TestPaths.NewTempDir();
        string data = WriteStream(dir, "stream.csv");
        string modelPath = WriteRandomModel(dir, data);
        var run = DetectPipeline.Run(new DetectOptions { DataPath = data, ModelPath = modelPath });
        Assert.True(run.Model.DetectorSection.Length > 0);
        string output = Path.Combine(dir, "out", "scores.csv");
        ScoresCsv.Write(output, run.Series, run.Scored);

        var lines = File.ReadAllLines(output);
        var input = File.ReadAllLines(data);
        Assert.Equal("timestamp,value,prediction,anomaly_score,is_anomaly,alarm", lines[0]);
        Assert.Equal(input.Length, lines.Length);
        for (int i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            var source = input[i].Split(',');
            Assert.Equal(6, fields.Length);
            Assert.Equal(source[0], fields[0]);
            Assert.Equal(source[1], fields[1]);
            double prediction = double.Parse(fields[2], CultureInfo.InvariantCulture);
            double score = double.Parse(fields[3], CultureInfo.InvariantCulture);
            Assert.False(double.IsNaN(prediction));
            Assert.InRange(score, 0.0, 1.0);
            Assert.Contains(fields[4], new[] { "0", "1" });
        }
        Assert.Equal("", lines[101].Split(',')[1]);
        Assert.Equal(1, run.Series.MissingValueCount);
        Assert.Equal(1, run.Series.RepeatedTimestampCount);
        Assert.Equal(1, run.Series.OutOfOrderTimestampCount == 0 ? 1 : 0);
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public void ScoringIsDeterministic()
    {
        string dir = TestPaths.NewTempDir();
        string data = WriteStream(dir, "stream.csv");
        string modelPath = WriteRandomModel(dir, data);
        var a = DetectPipeline.Run(new DetectOptions { DataPath = data, ModelPath = modelPath });
        var b = DetectPipeline.Run(new DetectOptions { DataPath = data, ModelPath = modelPath });
        Assert.Equal(a.Scored.Scores, b.Scored.Scores);
    }

    [Fact]
    public void BadInputIsNamedWithFileAndLine()
    {
        string dir = TestPaths.NewTempDir();
        string path = Path.Combine(dir, "bad.csv");
        File.WriteAllLines(path, ["timestamp,value", "2024-01-01 00:00:00,1", "2024-01-01 00:05:00,abc"]);
        var e = Assert.Throws<FormatException>(() => TimeSeriesCsv.Read(path));
        Assert.Contains("line 3", e.Message);
        Assert.Contains("value", e.Message);
        Assert.Contains("bad.csv", e.Message);
    }

    [Fact]
    public void TrainingPortionDefaultsToTheProbationaryPeriod()
    {
        Assert.Equal(600, new DetectOptions { DataPath = "x" }.ResolveTrainRows(4000));
        Assert.Equal(750, new DetectOptions { DataPath = "x" }.ResolveTrainRows(20000));
        Assert.Equal(1000, new DetectOptions { DataPath = "x", TrainFraction = 0.25 }.ResolveTrainRows(4000));
        Assert.Equal(100, new DetectOptions { DataPath = "x", TrainRows = 100 }.ResolveTrainRows(4000));
        Assert.Throws<ArgumentException>(() => new DetectOptions { DataPath = "x", TrainRows = 10 }.ResolveTrainRows(4000));
        Assert.Throws<ArgumentException>(() => new DetectOptions { DataPath = "x", TrainFraction = 1.5 }.ResolveTrainRows(4000));
    }
}
