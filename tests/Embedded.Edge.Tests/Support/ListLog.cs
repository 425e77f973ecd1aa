using Embedded.Edge.Hosting;

namespace Embedded.Edge.Tests.Support;

/// <summary>An EdgeLog whose lines the test can read.</summary>
internal sealed class ListLog
{
    private readonly LineWriter _writer = new();

    public ListLog() => Log = new EdgeLog(_writer, TimeSpan.Zero);

    public EdgeLog Log { get; }

    public string[] Lines
    {
        get
        {
            lock (_writer.Lines) return _writer.Lines.ToArray();
        }
    }

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    private sealed class LineWriter : StringWriter
    {
        public List<string> Lines { get; } = new();

        public override void WriteLine(string? value)
        {
            lock (Lines) Lines.Add(value ?? "");
        }
    }
}
