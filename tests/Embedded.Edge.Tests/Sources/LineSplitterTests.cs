using System.Text;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Tests.Sources;

public class LineSplitterTests
{
    private static (List<string> Lines, int Overlong) Split(LineSplitter splitter, params string[] chunks)
    {
        var lines = new List<string>();
        int overlong = 0;
        foreach (string chunk in chunks) splitter.Feed(Encoding.UTF8.GetBytes(chunk), lines.Add, () => overlong++);
        return (lines, overlong);
    }

    [Fact]
    public void LinesAcrossChunksAreJoinedAndCarriageReturnsRemoved()
    {
        var (lines, overlong) = Split(new LineSplitter(), "1.5,2\r", "\n2.", "5,3\n\n");
        Assert.Equal(["1.5,2", "2.5,3", ""], lines);
        Assert.Equal(0, overlong);
    }

    [Fact]
    public void AnOverlongLineIsDroppedOnceAndTheNextLineArrives()
    {
        var splitter = new LineSplitter(maxLength: 16);
        // 43 MB without a newline in the issue; any run past the cap behaves the same, in bounded memory.
        string noise = new string('7', 1000);
        var (lines, overlong) = Split(splitter, "1,2\n", noise, noise, "\n3,4\n");
        Assert.Equal(["1,2", "3,4"], lines);
        Assert.Equal(1, overlong);
    }

    [Fact]
    public void ALineOfExactlyTheCapIsKept()
    {
        var (lines, overlong) = Split(new LineSplitter(maxLength: 4), "1234\n12345\n1\n");
        Assert.Equal(["1234", "1"], lines);
        Assert.Equal(1, overlong);
    }
}
