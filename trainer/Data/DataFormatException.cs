namespace Embedded.Trainer.Data;

/// <summary>
/// Bad training input: the message always names the file and, where known, the 1-based line and the column,
/// e.g. <c>data.csv:17: column 'value': 'abc' is not a number</c>.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string file, int line, string? column, string problem)
        : base(Format(file, line, column, problem))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public string File { get; }
    /// <summary>1-based line number in the file; 0 when the problem is not tied to one line.</summary>
    public int Line { get; }
    public string? Column { get; }
    public string Problem { get; }

    private static string Format(string file, int line, string? column, string problem)
    {
        string where = line > 0 ? $"{file}:{line}" : file;
        return column is null ? $"{where}: {problem}" : $"{where}: column '{column}': {problem}";
    }
}
