using System.CommandLine;
using System.Text.RegularExpressions;

namespace Embedded.Cli.Commands;

/// <summary>
/// Parses and runs a command line. Any parse or validation error is a usage error: one line per error,
/// prefixed with the verb, and exit code 2 (docs/FORMAT.md), never the whole help text.
/// </summary>
public static class CliInvoker
{
    public const int UsageError = 2;

    public static int Invoke(RootCommand root, string[] args)
    {
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count == 0) return parsed.Invoke();
        string verb = parsed.CommandResult.Command == root ? "embedded" : parsed.CommandResult.Command.Name;
        foreach (var error in parsed.Errors) Console.Error.WriteLine($"{verb}: {Plain(error.Message)}");
        Console.Error.WriteLine($"{verb}: see '{(verb == "embedded" ? "" : verb + " ")}--help' for the options");
        return UsageError;
    }

    /// <summary>The parser's "as expected type 'System.Nullable`1[System.Int32]'" in words a user reads.</summary>
    internal static string Plain(string message)
    {
        Match m = Regex.Match(message, @"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?<type>[^']*)'");
        if (!m.Success) return string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        string type = m.Groups["type"].Value;
        string expected = type.Contains("CellType", StringComparison.Ordinal) ? "rnn, lstm or gru"
            : type.Contains("UInt", StringComparison.Ordinal) ? "a whole number, 0 or more"
            : type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a valid value";
        return $"{m.Groups["option"].Value} '{m.Groups["value"].Value}': expected {expected}";
    }
}
