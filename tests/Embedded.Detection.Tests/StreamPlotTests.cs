using System.Buffers.Binary;
using System.Globalization;
using Embedded.Cli.Commands;
using Embedded.Tests.Common;

namespace Embedded.Detection.Tests;

/// <summary>`detect --plot`: one panel per channel plus the score panel, single files only, PNG only.</summary>
[Collection(ConsoleCollection.Name)]
public class StreamPlotTests
{
    /// <summary>A `;`-separated 3-channel stream with anomaly and changepoint labels (rows 200..229 anomalous).</summary>
    private static string WriteLabelledStream(string dir)
    {
        var lines = new List<string> { "datetime;a;b;c;anomaly;changepoint" };
        var start = new DateTime(2020, 3, 9, 10, 0, 0);
        for (int t = 0; t < 300; t++)
        {
            bool anomalous = t is >= 200 and < 230;
            double a = Math.Sin(t / 8.0), b = Math.Cos(t / 5.0) + (anomalous ? 3 : 0), c = t % 7;
            lines.Add(string.Join(';', start.AddSeconds(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                a.ToString("R", CultureInfo.InvariantCulture), b.ToString("R", CultureInfo.InvariantCulture), c.ToString(CultureInfo.InvariantCulture),
                anomalous ? "1" : "0", t is 200 or 230 ? "1" : "0"));
        }
        string path = Path.Combine(dir, "pump.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void PlotHasAPanelPerChannelAndAScorePanel()
    {
        string dir = TestPaths.NewTempDir();
        string data = WriteLabelledStream(dir);
        string png = Path.Combine(dir, "plots", "pump.png");
        var (exit, output, errors) = CsvFormatsTests.Run(DetectCommand.Create(),
            ["--data", data, "--train-rows", "100", "--hidden", "4", "--epochs", "2", "--out", Path.Combine(dir, "scores.csv"), "--plot", png]);
        Assert.True(exit == 0, errors);
        Assert.Contains("plot: ", output);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));
        Assert.Equal(1600, width);
        // Three channel panels (the label columns are not channels) and the score panel are taller than one channel's.
        string oneChannel = Path.Combine(dir, "one.png");
        (exit, _, errors) = CsvFormatsTests.Run(DetectCommand.Create(),
            ["--data", data, "--columns", "a", "--train-rows", "100", "--hidden", "4", "--epochs", "2", "--out", Path.Combine(dir, "one.csv"), "--plot", oneChannel]);
        Assert.True(exit == 0, errors);
        int oneHeight = BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(oneChannel).AsSpan(20, 4));
        Assert.Equal(2 * 150, height - oneHeight);
    }

    [Fact]
    public void PlotIsForOneFileAndAPng()
    {
        string dir = TestPaths.NewTempDir();
        WriteLabelledStream(dir);
        var (exit, _, errors) = CsvFormatsTests.Run(DetectCommand.Create(), ["--data", dir, "--out", Path.Combine(dir, "out"), "--plot", Path.Combine(dir, "p.png")]);
        Assert.Equal(2, exit);
        Assert.Contains("--plot", errors);
        (exit, _, errors) = CsvFormatsTests.Run(DetectCommand.Create(),
            ["--data", Path.Combine(dir, "pump.csv"), "--out", Path.Combine(dir, "o.csv"), "--plot", Path.Combine(dir, "p.jpg")]);
        Assert.Equal(2, exit);
        Assert.Contains("--plot p.jpg", errors);
        Assert.False(File.Exists(Path.Combine(dir, "o.csv")));
    }
}
