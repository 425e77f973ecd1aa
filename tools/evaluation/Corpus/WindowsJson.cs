using System.Globalization;
using System.Text.Json;

namespace Embedded.Evaluation.Corpus;

/// <summary>
/// Writes a NAB-style windows.json (relative file name to [[start, end], ...], timestamps as
/// "yyyy-MM-dd HH:mm:ss.ffffff"), the file <see cref="Nab.NabCorpus.ReadWindows"/> reads.
/// </summary>
public static class WindowsJson
{
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    public static void Write(string path, IEnumerable<KeyValuePair<string, List<(DateTime Start, DateTime End)>>> files)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        foreach (var (name, windows) in files)
        {
            json.WriteStartArray(name);
            foreach (var (start, end) in windows)
            {
                json.WriteStartArray();
                json.WriteStringValue(start.ToString(TimestampFormat, CultureInfo.InvariantCulture));
                json.WriteStringValue(end.ToString(TimestampFormat, CultureInfo.InvariantCulture));
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}
