using Xunit.Abstractions;

namespace Embedded.Portability.Tests;

/// <summary>The checker itself: clean code passes, each forbidden construct is caught.</summary>
public class CheckerTests(ITestOutputHelper output)
{
    private static IReadOnlyList<string> Check(string body, string usings = "using System;") =>
        NanoFrameworkSubsetChecker.CheckSources([("Probe.cs", usings + "\nnamespace Probe { public static class P { " + body + " } }")]);

    [Fact]
    public void Code_inside_the_subset_passes()
    {
        var problems = Check("""
            private static readonly short[] Table = new short[] { 1, 2, 3 };
            public static int Run(int[] a, long b, byte[] image)
            {
                int[][] jagged = new int[2][];
                jagged[0] = new int[3];
                Array.Copy(a, 0, jagged[0], 0, 3);
                Array.Clear(a, 0, a.Length);
                long c = b < 0 ? -b : b;
                foreach (int v in a) c += v;
                string s = "n=" + a.Length.ToString() + $" {c}";
                if (s.Length > 100) throw new ArgumentException("too long", "a");
                return (a[0] < 0 ? -a[0] : a[0]) + Table[0] + BitConverter.ToInt32(image, 0) + (int)c;
            }
            """);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("public static int F() { var l = new List<int>(); return l.Count; }", "using System; using System.Collections.Generic;")]
    [InlineData("public static long F(long x) { return (long)Math.Abs(x); }", "using System;")]
    [InlineData("public static long F(long x, long y) { return (long)Math.Max(x, y); }", "using System;")]
    [InlineData("public static float F(float x) { return MathF.Sqrt(x); }", "using System;")]
    [InlineData("public static int F(int[] a) { Span<int> s = a; return s[0]; }", "using System;")]
    [InlineData("public static int F() { System.Span<int> s = stackalloc int[4]; return s[0]; }", "")]
    [InlineData("public static int F() { int[,] m = new int[2, 2]; return m[0, 0]; }", "")]
    [InlineData("public static int F(int[] a) { return a.Sum(); }", "using System.Linq;")]
    [InlineData("public static T F<T>(T x) { return x; }", "")]
    [InlineData("public static int F() { var t = (1, 2); return t.Item1; }", "")]
    [InlineData("public static string F(double d) { return $\"{d:F2}\"; }", "")]
    [InlineData("public static bool F(object o) { return o is not null; }", "")]
    [InlineData("public static int F(int x) { return x switch { 1 => 2, _ => 3 }; }", "")]
    [InlineData("public static unsafe int F(int* p) { return *p; }", "")]
    [InlineData("public static void F(int[] a) { Array.Fill(a, 0); }", "using System;")]
    [InlineData("public static void F(byte[] a, byte[] b) { Buffer.BlockCopy(a, 0, b, 0, 4); }", "using System;")]
    [InlineData("public static int? F() { return null; }", "")]
    [InlineData("public static System.Func<int> F() { return () => 1; }", "")]
    // Members the old hand-written surface had and the real mscorlib lacks.
    [InlineData("public static int F(int[] a) { return a.Rank; }", "")]
    [InlineData("public static string F(string s) { return s.Replace(\"a\", \"b\"); }", "")]
    [InlineData("public static System.TimeSpan F() { return System.TimeSpan.FromMilliseconds(1.5); }", "")]
    [InlineData("public static void F() { throw new System.DivideByZeroException(); }", "")]
    [InlineData("public static object F() { return new System.Collections.Hashtable(); }", "")]
    [InlineData("public static object F() { return System.Diagnostics.Stopwatch.StartNew(); }", "")]
    public void Constructs_outside_the_subset_are_caught(string body, string usings)
    {
        var problems = Check(body, usings);
        Assert.NotEmpty(problems);
        output.WriteLine(string.Join("\n", problems));
    }

    [Fact]
    public void Records_and_init_accessors_are_caught()
    {
        var problems = NanoFrameworkSubsetChecker.CheckSources([("Probe.cs", "namespace Probe { public class C { public int X { get; init; } } }")]);
        Assert.Contains(problems, p => p.Contains("init accessor"));
    }

    [Fact]
    public void System_Math_is_not_available_because_the_firmware_does_not_reference_its_package()
    {
        // The old hand-written surface had Math; the real mscorlib does not (it is nanoFramework.System.Math).
        var problems = Check("public static int F(int x) { return Math.Max(x, 0); }");
        Assert.Contains(problems, p => p.Contains("Math") && p.Contains("Probe.cs(2,"));
    }
}
