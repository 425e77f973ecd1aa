using Embedded.Edge.Hosting;
using Embedded.Tests.Common;

namespace Embedded.Edge.Tests.Hosting;

public class DeployFilesTests
{
    private static string Deploy(string name) => Path.Combine(TestPaths.RepoRoot, "firmware", "RaspberryPi", "deploy", name);

    [Fact]
    public void ExampleConfigParsesIntoEveryFeature()
    {
        EdgeConfig config = EdgeConfig.Load(Deploy("edge.example.json"));
        Assert.Equal("i2c", config.Source);
        Assert.Equal(3, config.Sensors!.Count);
        Assert.Equal(17, config.Gpio!.Pin);
        Assert.True(config.Mqtt!.Tls);
    }

    [Fact]
    public void UnknownConfigKeyIsAnErrorNamingFileAndLine()
    {
        string path = Path.Combine(TestPaths.NewTempDir(), "edge.json");
        File.WriteAllText(path, "{\n  \"model\": \"m.bin\",\n  \"modle\": \"typo\"\n}");
        var error = Assert.Throws<FormatException>(() => EdgeConfig.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void ServiceRunsAsANonRootUserInTheDeviceGroups()
    {
        string unit = File.ReadAllText(Deploy("embedded-edge.service"));
        Assert.Contains("User=edge", unit);
        Assert.Matches(@"SupplementaryGroups=.*\bgpio\b.*\bi2c\b", unit);
        Assert.Contains("KillSignal=SIGTERM", unit);
        Assert.DoesNotContain("User=root", unit);
    }
}
