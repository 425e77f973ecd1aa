namespace Embedded.Csv;

/// <summary>
/// The field delimiter of a CSV file: `,` `;` or tab, given explicitly (`--delimiter`) or detected from
/// the header line as the candidate that occurs most often outside quotes (`,` on a tie or when none occurs,
/// so a one-column file still reads).
/// </summary>
public static class CsvDelimiter
{
    private static readonly char[] Candidates = [',', ';', '\t'];

    /// <summary>Parses an option value: `,` `;` `tab` or `\t` (a literal tab character too).</summary>
    public static char Parse(string text, string optionName = "--delimiter") => text switch
    {
        "," => ',',
        ";" => ';',
        "\t" or "\\t" => '\t',
        _ when text.Equals("tab", StringComparison.OrdinalIgnoreCase) => '\t',
        _ => throw new ArgumentException($"{optionName}: '{text}' is not a delimiter (use ',', ';', 'tab' or '\\t')"),
    };

    /// <summary>The delimiter counted outside quotes in <paramref name="headerLine"/>.</summary>
    public static char Detect(string headerLine)
    {
        var counts = new int[Candidates.Length];
        bool quoted = false;
        foreach (char c in headerLine)
        {
            if (c == '"') { quoted = !quoted; continue; }
            if (quoted) continue;
            int k = Array.IndexOf(Candidates, c);
            if (k >= 0) counts[k]++;
        }
        int best = 0;
        for (int k = 1; k < Candidates.Length; k++) if (counts[k] > counts[best]) best = k;
        return Candidates[best];
    }

    /// <summary>How a delimiter is named in messages.</summary>
    public static string Name(char delimiter) => delimiter == '\t' ? "tab" : $"'{delimiter}'";
}
