using System.Globalization;

namespace Embedded.Evaluation.Nab;

/// <summary>Parses NAB timestamps ("2014-07-01 00:00:00" with optional fraction) and maps windows onto rows.</summary>
public static class NabTimestamps
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss.fff", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.fff", "yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
    ];

    public static bool TryParse(string text, out DateTime value) =>
        DateTime.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);

    public static DateTime Parse(string text, string where) =>
        TryParse(text, out var value) ? value : throw new FormatException($"{where}: '{text}' is not a timestamp (expected yyyy-MM-dd HH:mm:ss)");

    /// <summary>
    /// The rows a window [start, end] covers: the first row at or after start to the last row at or
    /// before end (NAB's labels sit exactly on row timestamps, so this is NAB's matching). Rows must be in
    /// time order. Returns null when no row falls inside.
    /// </summary>
    public static AnomalyWindow? ToRows(DateTime[] rows, DateTime start, DateTime end)
    {
        int first = -1, last = -1;
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] < start || rows[i] > end) continue;
            if (first < 0) first = i;
            last = i;
        }
        return first < 0 ? null : new AnomalyWindow(first, last);
    }
}
