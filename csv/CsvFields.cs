using System.Text;

namespace Embedded.Csv;

/// <summary>
/// Splits one CSV line into fields, RFC 4180 style: a field may be wrapped in double quotes, inside which
/// the delimiter is text and a doubled quote is one quote. Fields spanning several lines are not
/// supported (sensor logs do not have them); an unclosed quote is an error naming file and line.
/// </summary>
public static class CsvFields
{
    /// <summary>The field as Split reads it back: wrapped in quotes (inner quotes doubled) when it holds the delimiter, a quote or a line break.</summary>
    public static string Quote(string field, char delimiter = ',') =>
        field.IndexOf(delimiter) < 0 && field.IndexOfAny(['"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string[] Split(string line, char delimiter, string path, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            // Whitespace before an opening quote is tolerated (`a, "b"`), as spreadsheets write it.
            int start = i;
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new FormatException($"{path}: line {lineNumber}, field {fields.Count + 1}: quote opened but not closed");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                while (i < line.Length && line[i] == ' ') i++;
                if (i < line.Length && line[i] != delimiter)
                    throw new FormatException($"{path}: line {lineNumber}, field {fields.Count + 1}: text after the closing quote");
            }
            else
            {
                i = start;
                while (i < line.Length && line[i] != delimiter) field.Append(line[i++]);
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return fields.ToArray();
            i++; // past the delimiter: another field follows, possibly empty
        }
    }
}
