using System.Globalization;

namespace Embedded.Evaluation.Labelled;

/// <summary>
/// The width of the scoring window to the right of each true changepoint: a number of rows, or a
/// duration measured on the timestamps (SKAB uses 60 s). Null width in a protocol = NAB's rule.
/// </summary>
public sealed record ChangepointWindowWidth(int? Rows, TimeSpan? Duration)
{
    public static ChangepointWindowWidth OfRows(int rows) => new(rows, null);
    public static ChangepointWindowWidth OfDuration(TimeSpan duration) => new(null, duration);

    /// <summary>"60s", "2m", "1h" (a duration) or "60" (rows).</summary>
    public static ChangepointWindowWidth Parse(string text, string optionName = "--window")
    {
        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int rows) && rows > 0) return OfRows(rows);
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) && amount > 0)
        {
            TimeSpan? duration = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => null,
            };
            if (duration is TimeSpan d) return OfDuration(d);
        }
        throw new ArgumentException($"{optionName}: '{text}' is not a window width (rows, e.g. 60, or a duration, e.g. 60s, 5m, 1h)");
    }

    public override string ToString() => Rows is int r ? $"{r} rows" : $"{Duration!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
}
