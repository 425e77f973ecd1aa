using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Embedded.Trainer.Numerics;

/// <summary>Moves values between the double world (model, states, losses) and a network's own precision.</summary>
internal static class Numbers
{
    /// <summary>The values as <typeparamref name="T"/>: the same memory for double, else converted into <paramref name="buffer"/> (grown as needed).</summary>
    public static ReadOnlySpan<T> From<T>(ReadOnlySpan<double> source, ref T[] buffer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return MemoryMarshal.Cast<double, T>(source);
        if (buffer.Length < source.Length) buffer = new T[source.Length];
        Span<T> target = buffer.AsSpan(0, source.Length);
        TensorPrimitives.ConvertTruncating(source, target);
        return target;
    }

    /// <summary>destination = source, converted to double.</summary>
    public static void To<T>(ReadOnlySpan<T> source, Span<double> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) MemoryMarshal.Cast<T, double>(source).CopyTo(destination);
        else TensorPrimitives.ConvertTruncating(source, destination[..source.Length]);
    }

    /// <summary>destination = source converted to <typeparamref name="T"/>.</summary>
    public static void Into<T>(ReadOnlySpan<double> source, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) source.CopyTo(MemoryMarshal.Cast<T, double>(destination));
        else TensorPrimitives.ConvertTruncating(source, destination[..source.Length]);
    }
}
