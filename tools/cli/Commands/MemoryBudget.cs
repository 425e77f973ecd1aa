using System.Globalization;

namespace Embedded.Cli.Commands;

/// <summary>
/// A rough upper bound of what training needs, computed in double (no overflow for any option value) and
/// compared with the memory available before anything is allocated: a refusal with a clear message
/// instead of growing to the machine's limit and dying in a BLAS call.
/// </summary>
internal static class MemoryBudget
{
    /// <summary>Bytes to train an LSTM (the widest cell) of this shape: weights, gradients and Adam moments, plus every step's activations kept for backpropagation.</summary>
    public static double TrainingBytes(int hidden, int layers, bool bidirectional, int window, int batch)
    {
        const double gates = 4, bytes = 8;
        double directions = bidirectional ? 2 : 1;
        double h = Math.Max(hidden, 0), width = Math.Max(h * directions, 1);
        double parameters = Math.Max(layers, 0) * directions * gates * h * (width + h + 2);
        double activations = (double)Math.Max(window, 0) * Math.Max(batch, 0) * Math.Max(layers, 0) * directions * h * (gates + 4);
        return (parameters * 4 + activations) * bytes;
    }

    /// <summary>A one-line refusal naming the options when <paramref name="bytes"/> exceeds 80 % of the available memory; otherwise null.</summary>
    public static string? Refusal(double bytes, string options)
    {
        double available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available <= 0 || bytes <= available * 0.8) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{options} need about {bytes / (1L << 30):#,0.#} GiB to train, more than the {available / (1L << 30):0.#} GiB available: lower them");
    }
}
