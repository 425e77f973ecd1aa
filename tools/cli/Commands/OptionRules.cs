using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Embedded.Cli.Commands;

/// <summary>
/// Up-front checks of option values, as parser validators: a bad value is a usage error (exit 2, one
/// line naming the option, see <see cref="CliInvoker"/>) before anything is read, trained or allocated.
/// </summary>
internal static class OptionRules
{
    public static Option<int> Between(this Option<int> option, int min, int max, string? why = null)
    {
        option.Validators.Add(r =>
        {
            if (!TryGet(r, out int v)) return;
            if (v < min || v > max) r.AddError($"{option.Name} must be {Range(min, max)}, not {v.ToString(CultureInfo.InvariantCulture)}{(why is null ? "" : " (" + why + ")")}");
        });
        return option;
    }

    public static Option<int?> Between(this Option<int?> option, int min, int max)
    {
        option.Validators.Add(r =>
        {
            if (TryGet(r, out int? n) && n is int v && (v < min || v > max)) r.AddError($"{option.Name} must be {Range(min, max)}, not {v.ToString(CultureInfo.InvariantCulture)}");
        });
        return option;
    }

    /// <summary>A finite number in [min, max] (or (min, max] when <paramref name="minExclusive"/>).</summary>
    public static Option<double> Between(this Option<double> option, double min, double max, bool minExclusive = false)
    {
        option.Validators.Add(r =>
        {
            if (!TryGet(r, out double v)) return;
            if (!InRange(v, min, max, minExclusive)) r.AddError($"{option.Name} must be a number in {(minExclusive ? "(" : "[")}{F(min)}, {F(max)}], not {F(v)}");
        });
        return option;
    }

    public static Option<double?> Between(this Option<double?> option, double min, double max, bool minExclusive = false)
    {
        option.Validators.Add(r =>
        {
            if (TryGet(r, out double? n) && n is double v && !InRange(v, min, max, minExclusive))
                r.AddError($"{option.Name} must be a number in {(minExclusive ? "(" : "[")}{F(min)}, {F(max)}], not {F(v)}");
        });
        return option;
    }

    /// <summary>One of a fixed set of words (case-insensitive).</summary>
    public static Option<string> OneOf(this Option<string> option, params string[] values)
    {
        option.Validators.Add(r =>
        {
            if (!TryGet(r, out string? v)) return;
            if (v is null || !values.Contains(v, StringComparer.OrdinalIgnoreCase)) r.AddError($"{option.Name} must be {string.Join(", ", values.SkipLast(1))} or {values[^1]}, not '{v}'");
        });
        return option;
    }

    /// <summary>The value, unless it did not even convert (the parser reports that error itself).</summary>
    private static bool TryGet<T>(OptionResult r, out T value)
    {
        try
        {
            value = r.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static bool InRange(double v, double min, double max, bool minExclusive) =>
        double.IsFinite(v) && (minExclusive ? v > min : v >= min) && v <= max;

    private static string Range(int min, int max) =>
        max == int.MaxValue ? $"at least {min.ToString(CultureInfo.InvariantCulture)}" : $"in {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}";

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
