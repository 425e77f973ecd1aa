using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Embedded.Portability.Tests;

/// <summary>
/// Proves that C# sources stay inside the nanoFramework v1 subset: compiles them as C# 9 against the real
/// nanoFramework mscorlib and device libraries (<see cref="NanoFrameworkReferences"/>; so generics, Span,
/// LINQ, System.Math and missing overloads fail to bind), then walks the syntax for constructs the
/// nanoFramework toolchain rejects even when they compile, and the semantic traps (Math.Abs(long)
/// binding to float, should a Math package ever be referenced).
/// Reusable: the firmware tests run it over firmware/NanoFramework plus shared/.
/// </summary>
public static class NanoFrameworkSubsetChecker
{
    private static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.CSharp9, DocumentationMode.None, SourceCodeKind.Regular, ["NANOFRAMEWORK_1_0"]);

    /// <summary>Checks the given .cs files; returns one line per problem ("path(line,col): message"), empty when portable.</summary>
    public static IReadOnlyList<string> CheckFiles(IEnumerable<string> sourcePaths, IReadOnlyList<MetadataReference>? references = null)
    {
        var sources = sourcePaths.Select(p => (p, File.ReadAllText(p)));
        return CheckSources(sources, references);
    }

    /// <summary>Checks in-memory sources (path is used in messages only).</summary>
    public static IReadOnlyList<string> CheckSources(IEnumerable<(string Path, string Text)> sources, IReadOnlyList<MetadataReference>? references = null)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path)).ToList();
        var compilation = CSharpCompilation.Create(
            "PortableSources",
            trees,
            references ?? NanoFrameworkReferences.All(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable, allowUnsafe: false));

        var problems = new List<string>();
        foreach (var d in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            problems.Add(Format(d.Location, d.GetMessage()));
        }
        foreach (var tree in trees)
        {
            var walker = new SubsetWalker(compilation.GetSemanticModel(tree));
            walker.Visit(tree.GetRoot());
            problems.AddRange(walker.Problems);
        }
        return problems;
    }

    /// <summary>Every .cs under a folder, skipping bin/ and obj/.</summary>
    public static IEnumerable<string> SourcesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(p => p, StringComparer.Ordinal);

    internal static string Format(Location location, string message)
    {
        var span = location.GetLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {message}";
    }

    /// <summary>Constructs outside the subset that the compiler alone would accept.</summary>
    private sealed class SubsetWalker(SemanticModel model) : CSharpSyntaxWalker(SyntaxWalkerDepth.StructuredTrivia)
    {
        public List<string> Problems { get; } = [];

        private void Reject(SyntaxNode node, string what) => Problems.Add(Format(node.GetLocation(), "nanoFramework subset: " + what));

        public override void VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node) { Reject(node, "stackalloc"); base.VisitStackAllocArrayCreationExpression(node); }
        public override void VisitImplicitStackAllocArrayCreationExpression(ImplicitStackAllocArrayCreationExpressionSyntax node) { Reject(node, "stackalloc"); base.VisitImplicitStackAllocArrayCreationExpression(node); }
        public override void VisitUnsafeStatement(UnsafeStatementSyntax node) { Reject(node, "unsafe code"); base.VisitUnsafeStatement(node); }
        public override void VisitFixedStatement(FixedStatementSyntax node) { Reject(node, "fixed statement"); base.VisitFixedStatement(node); }
        public override void VisitPointerType(PointerTypeSyntax node) { Reject(node, "pointer type"); base.VisitPointerType(node); }
        public override void VisitFunctionPointerType(FunctionPointerTypeSyntax node) { Reject(node, "function pointer"); base.VisitFunctionPointerType(node); }
        public override void VisitRecordDeclaration(RecordDeclarationSyntax node) { Reject(node, "record"); base.VisitRecordDeclaration(node); }
        public override void VisitTupleType(TupleTypeSyntax node) { Reject(node, "tuple"); base.VisitTupleType(node); }
        public override void VisitTupleExpression(TupleExpressionSyntax node) { Reject(node, "tuple"); base.VisitTupleExpression(node); }
        public override void VisitTypeParameterList(TypeParameterListSyntax node) { Reject(node, "generic declaration"); base.VisitTypeParameterList(node); }
        public override void VisitTypeArgumentList(TypeArgumentListSyntax node) { Reject(node, "generic type or method"); base.VisitTypeArgumentList(node); }
        public override void VisitNullableType(NullableTypeSyntax node) { Reject(node, "nullable type or annotation"); base.VisitNullableType(node); }
        public override void VisitSwitchExpression(SwitchExpressionSyntax node) { Reject(node, "switch expression"); base.VisitSwitchExpression(node); }
        public override void VisitUnaryPattern(UnaryPatternSyntax node) { Reject(node, "'not' pattern"); base.VisitUnaryPattern(node); }
        public override void VisitBinaryPattern(BinaryPatternSyntax node) { Reject(node, "'and'/'or' pattern"); base.VisitBinaryPattern(node); }
        public override void VisitRelationalPattern(RelationalPatternSyntax node) { Reject(node, "relational pattern"); base.VisitRelationalPattern(node); }
        public override void VisitRecursivePattern(RecursivePatternSyntax node) { Reject(node, "property/positional pattern"); base.VisitRecursivePattern(node); }
        public override void VisitWithExpression(WithExpressionSyntax node) { Reject(node, "with expression"); base.VisitWithExpression(node); }
        public override void VisitRangeExpression(RangeExpressionSyntax node) { Reject(node, "range"); base.VisitRangeExpression(node); }
        public override void VisitInterpolationFormatClause(InterpolationFormatClauseSyntax node) { Reject(node, "interpolation format specifier (use ToString())"); base.VisitInterpolationFormatClause(node); }
        public override void VisitInterpolationAlignmentClause(InterpolationAlignmentClauseSyntax node) { Reject(node, "interpolation alignment"); base.VisitInterpolationAlignmentClause(node); }
        public override void VisitAwaitExpression(AwaitExpressionSyntax node) { Reject(node, "async/await"); base.VisitAwaitExpression(node); }

        public override void VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
        {
            if (node.Rank > 1) Reject(node, "multi-dimensional array (use a jagged or flat array)");
            base.VisitArrayRankSpecifier(node);
        }

        public override void VisitAccessorDeclaration(AccessorDeclarationSyntax node)
        {
            if (node.IsKind(SyntaxKind.InitAccessorDeclaration)) Reject(node, "init accessor");
            base.VisitAccessorDeclaration(node);
        }

        public override void VisitNullableDirectiveTrivia(NullableDirectiveTriviaSyntax node)
        {
            Reject(node, "#nullable directive");
            base.VisitNullableDirectiveTrivia(node);
        }

        public override void VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            // nanoFramework's Math has no long overloads: Math.Abs(someLong) binds to Abs(float) and loses bits.
            if (model.GetSymbolInfo(node).Symbol is IMethodSymbol method && method.ContainingType?.ToDisplayString() == "System.Math")
            {
                foreach (var argument in node.ArgumentList.Arguments)
                {
                    var type = model.GetTypeInfo(argument.Expression).Type;
                    if (type?.SpecialType is SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_UInt32 or SpecialType.System_Decimal)
                    {
                        Reject(node, $"Math.{method.Name} with a {type.ToDisplayString()} argument binds to the {method.Parameters[0].Type.ToDisplayString()} overload on nanoFramework (write a long helper)");
                        break;
                    }
                }
            }
            base.VisitInvocationExpression(node);
        }

        public override void Visit(SyntaxNode? node)
        {
            if (node is MemberDeclarationSyntax member && member.Modifiers.Any(SyntaxKind.UnsafeKeyword)) Reject(member, "unsafe member");
            base.Visit(node);
        }
    }
}
