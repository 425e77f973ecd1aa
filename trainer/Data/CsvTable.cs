using System.Text;

namespace Embedded.Trainer.Data;

/// <summary>
/// A CSV file as text cells: one header row, then data rows with the same number of cells. Each row
/// remembers its 1-based line number so later parsing errors can name it. Supports double-quoted cells.
/// </summary>
public sealed class CsvTable
{
    private CsvTable(string path, string[] header, string[][] rows, int[] lines)
    {
        Path = path;
        Header = header;
        Rows = rows;
        LineNumbers = lines;
    }

    public string Path { get; }
    public string[] Header { get; }
    public string[][] Rows { get; }
    /// <summary>The 1-based file line of each data row.</summary>
    public int[] LineNumbers { get; }

    public static CsvTable Load(string path)
    {
        if (!System.IO.File.Exists(path)) throw new DataFormatException(path, 0, null, "file not found");
        string[] lines = System.IO.File.ReadAllLines(path);
        int first = 0;
        while (first < lines.Length && lines[first].Trim().Length == 0) first++;
        if (first == lines.Length) throw new DataFormatException(path, 0, null, "the file is empty (expected a header row and data rows)");
        string[] header = Split(lines[first].TrimStart('\uFEFF'), path, first + 1);
        for (int c = 0; c < header.Length; c++)
        {
            header[c] = header[c].Trim();
            if (header[c].Length == 0) throw new DataFormatException(path, first + 1, $"#{c + 1}", "empty column name in the header");
            for (int d = 0; d < c; d++)
                if (header[d] == header[c]) throw new DataFormatException(path, first + 1, header[c], "column name appears twice in the header");
        }
        var rows = new List<string[]>();
        var numbers = new List<int>();
        for (int i = first + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string[] cells = Split(lines[i], path, i + 1);
            if (cells.Length != header.Length)
                throw new DataFormatException(path, i + 1, null, $"row has {cells.Length} cells, the header has {header.Length}");
            rows.Add(cells);
            numbers.Add(i + 1);
        }
        if (rows.Count == 0) throw new DataFormatException(path, first + 1, null, "the file has a header but no data rows");
        return new CsvTable(path, header, rows.ToArray(), numbers.ToArray());
    }

    /// <summary>The index of a header column; a clear error naming the file and the available columns if absent.</summary>
    public int ColumnIndex(string name)
    {
        int index = Array.IndexOf(Header, name);
        if (index < 0)
            throw new DataFormatException(Path, LineNumbers.Length > 0 ? LineNumbers[0] - 1 : 1, name,
                $"no such column (the header has: {string.Join(", ", Header)})");
        return index;
    }

    private static string[] Split(string line, string path, int lineNumber)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                    else quoted = false;
                }
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        if (quoted) throw new DataFormatException(path, lineNumber, null, "unterminated quoted cell");
        cells.Add(cell.ToString());
        return cells.ToArray();
    }
}
