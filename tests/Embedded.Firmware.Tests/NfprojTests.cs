using System.Xml.Linq;
using Embedded.Tests.Common;

namespace Embedded.Firmware.Tests;

/// <summary>
/// The nanoFramework project cannot be built here (no nanoFramework SDK), so its file list is checked
/// against the disk: every shared runtime file and every firmware source must be compiled, nothing
/// listed may be missing, and the nanoFramework-only parts must stay out of the .NET test build.
/// </summary>
public sealed class NfprojTests
{
    private static readonly string FirmwareDir = Path.Combine(TestPaths.RepoRoot, "firmware", "NanoFramework");
    private static readonly string NfprojPath = Path.Combine(FirmwareDir, "Embedded.Firmware.nfproj");

    private static XDocument Project() => XDocument.Load(NfprojPath);

    private static XNamespace Ns => "http://schemas.microsoft.com/developer/msbuild/2003";

    private static HashSet<string> CompiledFiles() =>
        Project().Descendants(Ns + "Compile")
            .Select(e => Path.GetFullPath(Path.Combine(FirmwareDir, e.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar))))
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> SourcesUnder(string dir) =>
        Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar)
                     && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar));

    [Fact]
    public void Nfproj_compiles_every_shared_runtime_file()
    {
        // UPDATE_NFPROJ=1 dotnet test tests/Embedded.Firmware.Tests --filter Nfproj rewrites the shared list.
        if (Environment.GetEnvironmentVariable("UPDATE_NFPROJ") == "1") RewriteSharedItems();
        var compiled = CompiledFiles();
        var missing = SourcesUnder(Path.Combine(TestPaths.RepoRoot, "shared")).Where(f => !compiled.Contains(f)).ToList();
        Assert.True(missing.Count == 0, "add to firmware/NanoFramework/Embedded.Firmware.nfproj:\n" + string.Join("\n", missing.Select(f =>
        {
            string rel = Path.GetRelativePath(Path.Combine(TestPaths.RepoRoot, "shared"), f).Replace('/', '\\');
            return $"    <Compile Include=\"..\\..\\shared\\{rel}\">\n      <Link>Shared\\{rel}</Link>\n    </Compile>";
        })));
    }

    /// <summary>Regenerates the ItemGroup labelled SharedRuntime from the files under shared/ (text edit keeps the layout).</summary>
    private static void RewriteSharedItems()
    {
        string text = File.ReadAllText(NfprojPath);
        const string open = "<ItemGroup Label=\"SharedRuntime\">";
        int start = text.IndexOf(open, StringComparison.Ordinal) + open.Length;
        int end = text.IndexOf("</ItemGroup>", start, StringComparison.Ordinal);
        string sharedRoot = Path.Combine(TestPaths.RepoRoot, "shared");
        var lines = SourcesUnder(sharedRoot).Order(StringComparer.Ordinal).Select(f =>
        {
            string rel = Path.GetRelativePath(sharedRoot, f).Replace('/', '\\');
            return $"    <Compile Include=\"..\\..\\shared\\{rel}\">\n      <Link>Shared\\{rel}</Link>\n    </Compile>\n";
        });
        string updated = text[..start] + "\n" + string.Concat(lines) + "  " + text[end..];
        File.WriteAllText(NfprojPath, updated, new System.Text.UTF8Encoding(false));
    }

    [Fact]
    public void Nfproj_compiles_every_firmware_source_file()
    {
        var compiled = CompiledFiles();
        var missing = SourcesUnder(FirmwareDir).Where(f => !compiled.Contains(f)).ToList();
        Assert.True(missing.Count == 0, "not in the .nfproj: " + string.Join(", ", missing.Select(f => Path.GetRelativePath(FirmwareDir, f))));
        Assert.Contains(Path.Combine(FirmwareDir, "Program.cs"), compiled);
        Assert.Contains(Path.Combine(FirmwareDir, "Properties", "AssemblyInfo.cs"), compiled);
    }

    [Fact]
    public void Every_file_the_nfproj_lists_exists()
    {
        var absent = CompiledFiles().Where(f => !File.Exists(f)).ToList();
        Assert.True(absent.Count == 0, "listed but missing: " + string.Join(", ", absent));
    }

    [Fact]
    public void Nfproj_is_a_nanoframework_project_with_the_packages_it_references()
    {
        var project = Project();
        string guids = project.Descendants(Ns + "ProjectTypeGuids").Single().Value;
        Assert.StartsWith("{11A8DD76-328B-46DF-9F39-F559912D0360}", guids);
        Assert.Contains(project.Descendants(Ns + "Import"), i => i.Attribute("Project")!.Value.EndsWith("NFProjectSystem.CSharp.targets"));

        var packages = XDocument.Load(Path.Combine(FirmwareDir, "packages.config")).Descendants("package")
            .ToDictionary(p => p.Attribute("id")!.Value, p => p.Attribute("version")!.Value);
        foreach (var id in new[] { "nanoFramework.CoreLibrary", "nanoFramework.System.Device.Gpio", "nanoFramework.System.Device.I2c",
                     "nanoFramework.System.Device.Adc", "nanoFramework.System.IO.Ports", "nanoFramework.System.IO.FileSystem", "nanoFramework.Hardware.Esp32" })
        {
            Assert.True(packages.ContainsKey(id), id + " missing from packages.config");
        }
        var hintPaths = project.Descendants(Ns + "HintPath").Select(h => h.Value).ToList();
        foreach (var (id, version) in packages)
        {
            Assert.Contains(hintPaths, h => h.Contains("packages\\" + id + "." + version + "\\lib\\"));
        }
        Assert.All(hintPaths, h => Assert.Contains(packages, p => h.Contains("packages\\" + p.Key + "." + p.Value + "\\")));
    }

    [Fact]
    public void Solution_lists_the_nfproj_without_building_it_in_dotnet()
    {
        string sln = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "Embedded.sln"));
        var line = sln.Split('\n').Single(l => l.Contains("Embedded.Firmware.nfproj"));
        string guid = line.Split('"')[^2];
        Assert.Contains(guid + ".Debug|Any CPU.ActiveCfg", sln);
        Assert.DoesNotContain(guid + ".Debug|Any CPU.Build.0", sln);
        Assert.DoesNotContain(guid + ".Release|Any CPU.Build.0", sln);
    }

    [Fact]
    public void Nanoframework_only_adapters_are_not_in_the_portable_app_folder()
    {
        foreach (var file in SourcesUnder(Path.Combine(FirmwareDir, "App")))
        {
            string text = File.ReadAllText(file);
            foreach (var ns in new[] { "System.Device.", "System.IO.Ports", "nanoFramework.", "System.IO.File" })
            {
                Assert.False(text.Contains("using " + ns), Path.GetFileName(file) + " uses " + ns + ": hardware code belongs in Hardware/");
            }
        }
    }
}
