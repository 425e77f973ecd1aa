using Embedded.Tests.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Embedded.Portability.Tests;

/// <summary>
/// The device-library stand-ins (DeviceStandIns/, used when ../shared/tools/nanoclr is absent) must be
/// a faithful subset of the real libraries, or code could pass here and fail the real build.
/// </summary>
public class DeviceStandInTests
{
    private static readonly SymbolDisplayFormat Signature = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType
            | SymbolDisplayMemberOptions.IncludeModifiers | SymbolDisplayMemberOptions.IncludeRef | SymbolDisplayMemberOptions.IncludeContainingType)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut);

    [SkippableFact]
    public void Every_stand_in_type_and_member_exists_in_the_real_device_libraries()
    {
        var real = NanoFrameworkReferences.RealDeviceLibraries();
        Skip.If(real.Count == 0, "../shared/tools/nanoclr/refs is absent");

        var standIns = CSharpCompilation.Create("StandIns", [], [NanoFrameworkReferences.Mscorlib, NanoFrameworkReferences.StandInAssembly]);
        var standInAssembly = (IAssemblySymbol)standIns.GetAssemblyOrModuleSymbol(NanoFrameworkReferences.StandInAssembly)!;
        var realLibraries = CSharpCompilation.Create("Real", [],
            [NanoFrameworkReferences.Mscorlib, .. real.Select(p => MetadataReference.CreateFromFile(p))]);

        var problems = new List<string>();
        int members = 0;
        foreach (var type in PublicTypes(standInAssembly.GlobalNamespace))
        {
            string name = MetadataName(type);
            var match = realLibraries.GetTypeByMetadataName(name);
            if (match is null || match.DeclaredAccessibility != Accessibility.Public) { problems.Add("type " + name + " is not public in the real libraries"); continue; }
            if (match.TypeKind != type.TypeKind || match.IsStatic != type.IsStatic) { problems.Add("type " + name + " is a " + match.TypeKind + " there"); continue; }
            var realMembers = match.GetMembers().Where(m => m.DeclaredAccessibility == Accessibility.Public)
                .Select(m => Describe(m)).ToHashSet(StringComparer.Ordinal);
            foreach (var member in type.GetMembers().Where(m => m.DeclaredAccessibility == Accessibility.Public && !m.IsImplicitlyDeclared))
            {
                members++;
                if (!realMembers.Contains(Describe(member))) problems.Add("member " + Describe(member) + " is not in the real " + name);
            }
        }
        Assert.True(members > 50, "too few stand-in members were compared: " + members);
        Assert.True(problems.Count == 0, "the stand-ins differ from the real libraries:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_whole_firmware_compiles_against_the_stand_ins_too()
    {
        // So a clone without ../shared checks the same firmware with the same outcome.
        string firmware = Path.Combine(TestPaths.RepoRoot, "firmware", "NanoFramework");
        var files = NanoFrameworkSubsetChecker.SourcesUnder(firmware)
            .Concat(NanoFrameworkSubsetChecker.SourcesUnder(Path.Combine(TestPaths.RepoRoot, "shared"))).ToList();
        var problems = NanoFrameworkSubsetChecker.CheckFiles(files, [NanoFrameworkReferences.Mscorlib, NanoFrameworkReferences.StandInAssembly]);
        Assert.True(problems.Count == 0, "firmware does not compile against the stand-ins:\n" + string.Join("\n", problems));
    }

    private static IEnumerable<INamedTypeSymbol> PublicTypes(INamespaceSymbol ns)
    {
        foreach (var type in ns.GetTypeMembers().Where(t => t.DeclaredAccessibility == Accessibility.Public)) yield return type;
        foreach (var child in ns.GetNamespaceMembers())
            foreach (var type in PublicTypes(child)) yield return type;
    }

    private static string MetadataName(INamedTypeSymbol type) =>
        type.ContainingNamespace.IsGlobalNamespace ? type.MetadataName : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;

    /// <summary>Signature plus what a caller relies on: static-ness and an enum member's value (accessors are compared as members).</summary>
    private static string Describe(ISymbol member)
    {
        string text = (member.IsStatic ? "static " : "") + member.ToDisplayString(Signature);
        if (member is IFieldSymbol { HasConstantValue: true } field) text += " = " + field.ConstantValue;
        return text;
    }
}
