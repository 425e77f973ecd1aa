namespace Embedded.BitExact
{
    /// <summary>
    /// Where the program's lines go: Console on nanoCLR (run.sh prints them), a buffer on .NET so the test
    /// reads them in-process without redirecting the process-wide Console.
    /// </summary>
    public static class Out
    {
#if !NANOFRAMEWORK_1_0
        public static System.Text.StringBuilder Captured = new System.Text.StringBuilder();
#endif

        public static void Line(string text)
        {
#if NANOFRAMEWORK_1_0
            System.Console.WriteLine(text);
#else
            Captured.Append(text).Append('\n');
#endif
        }
    }
}
