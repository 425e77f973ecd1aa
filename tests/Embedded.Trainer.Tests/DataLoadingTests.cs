using Embedded.Tests.Common;
using Embedded.Trainer.Data;

namespace Embedded.Trainer.Tests;

/// <summary>CSV and text loading, and the errors that name file, line and column.</summary>
public class DataLoadingTests
{
    private static string Write(string name, string text)
    {
        string path = Path.Combine(TestPaths.NewTempDir(), name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void LoadsFeaturesTargetsAndTimestamps()
    {
        string path = Write("s.csv", "timestamp,a,b\n2024-01-01 00:00:00,1,10\n2024-01-01 00:05:00,2,20\n\n2024-01-01 00:10:00,3.5,30\n");
        var s = CsvSeries.Load(path, ["a", "b"], ["b"], "timestamp");
        Assert.Equal(3, s.Count);
        Assert.Equal([3.5, 30], s.Features[2]);
        Assert.Equal([30.0], s.Targets[2]);
        Assert.Equal(5, s.LineNumbers[2]);
        Assert.Equal(300, s.MedianSamplePeriodSeconds());
    }

    [Fact]
    public void DefaultTargetsAreAllButTheTimestamp()
    {
        string path = Write("s.csv", "t,value\n1,5\n2,6\n");
        var s = CsvSeries.Load(path, null, null, "t");
        Assert.Equal(["value"], s.TargetColumns);
        Assert.Equal(["value"], s.FeatureColumns);
    }

    [Fact]
    public void NonNumericCellNamesFileLineAndColumn()
    {
        string path = Write("bad.csv", "timestamp,value\nx,1\ny,2\nz,abc\n");
        var e = Assert.Throws<DataFormatException>(() => CsvSeries.Load(path, null, ["value"], "timestamp"));
        Assert.Equal(4, e.Line);
        Assert.Equal("value", e.Column);
        Assert.Contains("bad.csv:4", e.Message);
        Assert.Contains("'abc' is not a number", e.Message);
    }

    [Theory]
    [InlineData("NaN"), InlineData("inf"), InlineData("-Infinity")]
    public void NonFiniteCellsAreRejected(string cell)
    {
        string path = Write("nan.csv", $"value\n1\n{cell}\n");
        var e = Assert.Throws<DataFormatException>(() => CsvSeries.Load(path, null, ["value"]));
        Assert.Equal(3, e.Line);
        Assert.Contains("finite", e.Message);
    }

    [Fact]
    public void MissingColumnListsTheHeader()
    {
        string path = Write("m.csv", "timestamp,value\n1,2\n");
        var e = Assert.Throws<DataFormatException>(() => CsvSeries.Load(path, null, ["temperature"], "timestamp"));
        Assert.Equal("temperature", e.Column);
        Assert.Contains("timestamp, value", e.Message);
    }

    [Fact]
    public void EmptyFileAndHeaderOnlyAndRaggedRows()
    {
        Assert.Contains("empty", Assert.Throws<DataFormatException>(() => CsvTable.Load(Write("e.csv", ""))).Message);
        Assert.Contains("no data rows", Assert.Throws<DataFormatException>(() => CsvTable.Load(Write("h.csv", "a,b\n"))).Message);
        var ragged = Assert.Throws<DataFormatException>(() => CsvTable.Load(Write("r.csv", "a,b\n1,2\n3\n")));
        Assert.Equal(3, ragged.Line);
        Assert.Contains("not found", Assert.Throws<DataFormatException>(() => CsvTable.Load("/nonexistent/x.csv")).Message);
    }

    [Fact]
    public void EmptyCellIsNamed()
    {
        var e = Assert.Throws<DataFormatException>(() => CsvSeries.Load(Write("c.csv", "a,b\n1,2\n3,\n"), null, ["b"]));
        Assert.Equal(3, e.Line);
        Assert.Equal("b", e.Column);
    }

    [Fact]
    public void ZScoreFitsTrainingRowsAndHandlesConstantColumns()
    {
        double[][] rows = [[1, 5], [3, 5], [100, 5]];
        var z = ZScore.Fit(rows, 0, 2);
        Assert.Equal(2, z.Mean[0]);
        Assert.Equal(1, z.Std[0]);
        Assert.Equal(1, z.Std[1]);
        Assert.Equal(98, z.Normalize(100, 0));
        Assert.Equal(100, z.Denormalize(98, 0));
    }

    [Fact]
    public void TextUsesTheD2lPreprocessingAnd28Symbols()
    {
        var corpus = TextCorpus.FromText("The Time-Machine,\n by H. G. Wells [1898]\n");
        Assert.Equal(28, corpus.VocabularySize);
        Assert.Equal("the time machineby h g wells", corpus.Decode(corpus.Symbols));
        Assert.Equal(0, TextCorpus.SymbolId('é'));
    }
}
