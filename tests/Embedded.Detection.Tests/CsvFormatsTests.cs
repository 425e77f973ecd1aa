using Embedded.Cli.Commands;
using Embedded.Csv;
using Embedded.Evaluation.Data;
using Embedded.Tests.Common;

namespace Embedded.Detection.Tests;

/// <summary>Stream CSVs as people have them: `;` and tab delimiters, quoted fields, label columns, bad files in a folder.</summary>
[Collection(ConsoleCollection.Name)]
public class CsvFormatsTests
{
    private static string Write(string name, params string[] lines)
    {
        string path = Path.Combine(TestPaths.NewTempDir(), name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void SemicolonFileWithLabelsReadsFeaturesAndKeepsLabelsApart()
    {
        string path = Write("pump.csv",
            "datetime;Accelerometer1RMS;Volume Flow RateRMS;anomaly;changepoint",
            "2020-03-09 10:14:33;0.0265;32.0;0.0;0.0",
            "2020-03-09 10:14:34;0.0261;31.5;1.0;1.0");
        var series = TimeSeriesCsv.Read(path);
        Assert.Equal(["Accelerometer1RMS", "Volume Flow RateRMS"], series.ChannelNames);
        Assert.Equal([0.0261, 31.5], series.Values[1]);
        Assert.Equal([0.0, 1.0], series.Labels["anomaly"]);
        Assert.Equal([0.0, 1.0], series.Labels["changepoint"]);
        Assert.Equal(new DateTime(2020, 3, 9, 10, 14, 34), series.Times[1]);
        Assert.Equal([0.0], series.Head(1).Labels["anomaly"]);
    }

    [Fact]
    public void TabFileIsDetectedAndLabelNamesIgnoreCase()
    {
        string path = Write("tab.csv", "time\ta\tb\tIs_Anomaly", "0\t1\t2\t0", "1\t3\t4\t1");
        var series = TimeSeriesCsv.Read(path);
        Assert.Equal(["a", "b"], series.ChannelNames);
        Assert.Equal([0.0, 1.0], series.Labels["is_anomaly"]);
    }

    [Fact]
    public void QuoteIsWhatSplitReadsBack()
    {
        string[] fields = ["plain", "a,b", "say \"hi\"", "2020-03-09 10:14:33", "x;y"];
        Assert.Equal(fields, CsvFields.Split(string.Join(",", fields.Select(f => CsvFields.Quote(f))), ',', "t.csv", 1));
        Assert.Equal(fields, CsvFields.Split(string.Join(";", fields.Select(f => CsvFields.Quote(f, ';'))), ';', "t.csv", 1));
        Assert.Equal("plain", CsvFields.Quote("plain"));
        Assert.Equal("\"a,b\"", CsvFields.Quote("a,b"));
    }

    [Fact]
    public void QuotedFieldsHoldDelimitersAndDoubledQuotes()
    {
        Assert.Equal(["a", "b,c", "say \"hi\"", ""], CsvFields.Split("a,\"b,c\",\"say \"\"hi\"\"\",", ',', "f.csv", 3));
        Assert.Equal(["x", "", ""], CsvFields.Split("x;;", ';', "f.csv", 3));
        string path = Write("quoted.csv", "\"timestamp\",\"flow; l/min\",\"label\"", "\"2024-01-01 00:00:00\",\"1.5\",\"0\"");
        var series = TimeSeriesCsv.Read(path);
        Assert.Equal(["flow; l/min"], series.ChannelNames);
        Assert.Equal(1.5, series.Values[0][0]);
        Assert.Equal([0.0], series.Labels["label"]);
    }

    [Fact]
    public void UnclosedQuoteNamesFileAndLine()
    {
        string path = Write("open.csv", "timestamp,value", "2024-01-01 00:00:00,1", "2024-01-01 00:05:00,\"2");
        var e = Assert.Throws<FormatException>(() => TimeSeriesCsv.Read(path));
        Assert.Contains("open.csv: line 3", e.Message);
        Assert.Contains("quote", e.Message);
    }

    [Fact]
    public void ExplicitLabelsAreExcludedAndMustExist()
    {
        string path = Write("fault.csv", "timestamp,x,fault,anomaly", "2024-01-01 00:00:00,1,0,5", "2024-01-01 00:05:00,2,1,6");
        var series = TimeSeriesCsv.Read(path, new CsvReadOptions { Labels = ["fault"] });
        // Naming the labels replaces the default names: "anomaly" is a feature here.
        Assert.Equal(["x", "anomaly"], series.ChannelNames);
        Assert.Equal([0.0, 1.0], series.Labels["fault"]);
        var e = Assert.Throws<FormatException>(() => TimeSeriesCsv.Read(path, new CsvReadOptions { Labels = ["missing"] }));
        Assert.Contains("no label column named 'missing'", e.Message);
    }

    [Fact]
    public void WrongDelimiterNamesLineColumnAndHints()
    {
        string path = Write("semi.csv", "datetime;a;b", "2020-03-09 10:14:33;1;2");
        var e = Assert.Throws<FormatException>(() => TimeSeriesCsv.Read(path, new CsvReadOptions { Delimiter = ',' }));
        Assert.Contains("semi.csv: line 2, column 1 'datetime;a;b'", e.Message);
        Assert.Contains("--delimiter ;", e.Message);
    }

    [Fact]
    public void DelimiterOptionAcceptsNamesAndRejectsOthers()
    {
        Assert.Equal('\t', CsvDelimiter.Parse("tab"));
        Assert.Equal('\t', CsvDelimiter.Parse("\\t"));
        Assert.Equal(';', CsvDelimiter.Parse(";"));
        Assert.Equal(',', CsvDelimiter.Parse(","));
        Assert.Contains("--delimiter", Assert.Throws<ArgumentException>(() => CsvDelimiter.Parse("|")).Message);
        Assert.Equal(';', CsvDelimiter.Detect("\"a,b\";c;d"));
    }

    [Fact]
    public void DetectFolderScoresReadableFilesReportsTheOthersAndExitsOne()
    {
        string dir = TestPaths.NewTempDir();
        string data = Path.Combine(dir, "data");
        string good = DetectPipelineTests.WriteStream(data, "good.csv");
        string model = DetectPipelineTests.WriteRandomModel(dir, good);
        File.WriteAllLines(Path.Combine(data, "bad.csv"), ["timestamp,value", "2024-01-01 00:00:00,1", "2024-01-01 00:05:00,abc"]);
        string output = Path.Combine(dir, "out");
        var (exit, _, errors) = Run(DetectCommand.Create(), ["--data", data, "--model", model, "--out", output]);
        Assert.Equal(1, exit);
        Assert.True(File.Exists(Path.Combine(output, "good.csv")));
        Assert.False(File.Exists(Path.Combine(output, "bad.csv")));
        Assert.Contains("bad.csv: line 3, column 2 'value'", errors);
        Assert.Contains("1 of 2 files", errors);
    }

    [Fact]
    public void DetectRejectsAnUnknownDelimiterAsAUsageError()
    {
        string dir = TestPaths.NewTempDir();
        string data = DetectPipelineTests.WriteStream(dir, "s.csv");
        var (exit, _, errors) = Run(DetectCommand.Create(), ["--data", data, "--out", Path.Combine(dir, "o.csv"), "--delimiter", "pipe"]);
        Assert.Equal(2, exit);
        Assert.Contains("--delimiter", errors);
    }

    internal static (int Exit, string Output, string Errors) Run(System.CommandLine.Command command, string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var (savedOut, savedError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(errors);
        try { return (command.Parse(args).Invoke(), output.ToString(), errors.ToString()); }
        finally { Console.SetOut(savedOut); Console.SetError(savedError); }
    }

    [Fact]
    public void InfinitiesAreMissingValuesAsOnTheDevices()
    {
        var series = TimeSeriesCsv.Read(Write("inf.csv", "timestamp,value", "1,inf", "2,-inf", "3,Infinity", "4,2.5"), new CsvReadOptions());
        Assert.All(series.Values.Take(3), row => Assert.True(double.IsNaN(row[0])));
        Assert.Equal(2.5, series.Values[3][0]);
    }

    [Fact]
    public void ABinaryFileIsNotReadAsACsv()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "model.bin");
        File.WriteAllBytes(path, [0x52, 0x4E, 0x4E, 0x51, 0x01, 0x00, 0x30, 0x00, 0x0A, 0x31]);
        var error = Assert.Throws<FormatException>(() => TimeSeriesCsv.Read(path, new CsvReadOptions()));
        Assert.Contains("not a text CSV", error.Message);
    }

    [Fact]
    public void AHugeTrainingValueIsNamedByRowAndColumn()
    {
        var rows = new List<string> { "timestamp,value" };
        for (int t = 0; t < 300; t++) rows.Add($"{t},{(t == 7 ? "1e300" : (t % 5).ToString())}");
        var series = TimeSeriesCsv.Read(Write("huge.csv", rows.ToArray()), new CsvReadOptions());
        var error = Assert.Throws<InvalidDataException>(() => Embedded.Evaluation.Detection.DetectPipeline.FillGaps(series.Head(100)));
        Assert.Contains("data row 8, column 'value'", error.Message);
    }
}
