using Embedded.Tests.Common;

namespace Embedded.Portability.Tests;

public class SharedSourcesTests
{
    [Fact]
    public void Every_shared_source_compiles_against_the_nanoFramework_surface_and_stays_in_the_subset()
    {
        var files = NanoFrameworkSubsetChecker.SourcesUnder(Path.Combine(TestPaths.RepoRoot, "shared")).ToList();
        Assert.NotEmpty(files);
        var problems = NanoFrameworkSubsetChecker.CheckFiles(files);
        Assert.True(problems.Count == 0, "portable sources step outside nanoFramework v1:\n" + string.Join("\n", problems));
    }
}
