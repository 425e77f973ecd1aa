using Embedded.Evaluation.Detection;

namespace Embedded.Detection.Tests;

public class ScoredStreamTests
{
    [Fact]
    public void AbnormalRowsAreCountedByTheChannelThatLedThem()
    {
        // Rows 1-4 abnormal: led by channel 2's bias, channel 2's error, channel 0's range, and nothing (-1).
        // Row 5 is led by channel 1 but not abnormal, so it does not count.
        var stream = new ScoredStream(
            predictions: new double[6][], scores: new double[6],
            anomalies: [false, true, true, true, true, false],
            alarms: new bool[6], outOfRangeRows: 0,
            leading: [-1, 8 * 2 + 2, 8 * 2 + 0, 8 * 0 + 3, -1, 8 * 1]);

        Assert.Equal([(2, 2), (0, 1)], stream.AbnormalRowsByChannel());
        Assert.All(new ScoredStream(new double[2][], new double[2], [true, true], new bool[2]).Leading, l => Assert.Equal(-1, l));
    }
}
