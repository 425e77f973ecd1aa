using System.Globalization;

namespace Embedded.Edge.Sources;

/// <summary>Reads a recorded timestamp as seconds: a number (seconds, e.g. Unix time) or a date/time text.</summary>
public static class TimestampClock
{
    public static bool TryGetSeconds(string? timestamp, out double seconds)
    {
        seconds = 0;
        if (string.IsNullOrEmpty(timestamp)) return false;
        if (double.TryParse(timestamp, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)) return double.IsFinite(seconds);
        if (DateTime.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime when))
        {
            seconds = (when - DateTime.UnixEpoch).TotalSeconds;
            return true;
        }

        return false;
    }

    /// <summary>A live sample's timestamp: UTC, ISO-8601 with milliseconds.</summary>
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
