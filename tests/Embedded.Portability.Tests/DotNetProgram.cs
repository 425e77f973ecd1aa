using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Embedded.Portability.Tests;

/// <summary>
/// The same program sources compiled for .NET (C# 9, without NANOFRAMEWORK_1_0) and run in-process;
/// its lines come from the program's Out.Captured buffer.
/// </summary>
internal static class DotNetProgram
{
    public static string BuildAndRun(IReadOnlyList<string> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp9);
        var trees = sources.Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parse, p));
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("BitExactDotNet", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Disable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => NanoFrameworkSubsetChecker.Format(d.Location, d.GetMessage()));
            throw new InvalidOperationException("the program does not compile for .NET:\n" + string.Join("\n", errors));
        }
        stream.Position = 0;
        var context = new AssemblyLoadContext("BitExact", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(stream);
            assembly.GetType("Embedded.BitExact.BitExactProgram", throwOnError: true)!.GetMethod("Main")!.Invoke(null, null);
            var captured = assembly.GetType("Embedded.BitExact.Out", throwOnError: true)!.GetField("Captured", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            return captured.ToString()!;
        }
        finally
        {
            context.Unload();
        }
    }
}
