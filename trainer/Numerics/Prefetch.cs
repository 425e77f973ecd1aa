using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Embedded.Trainer.Numerics;

/// <summary>Software prefetch (x86 prefetcht0; a no-op elsewhere). Moves no values: results never depend on it.</summary>
internal static class Prefetch
{
    /// <summary>Asks for the cache line holding <paramref name="at"/>; never faults. Pass only refs inside a live array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Line<T>(ref T at)
    {
        if (Sse.IsSupported) Sse.Prefetch0(Unsafe.AsPointer(ref at));
    }

    /// <summary>
    /// Prefetches lines [from, to) of the regions (a, b, c, d, each whole 64-byte lines: aLines, then bcdLines each), counted
    /// as one run. A caller spreads a next step's outputs over the current step's work a few lines at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lines<T>(ref T a, int aLines, ref T b, ref T c, ref T d, int bcdLines, int from, int to)
    {
        int lineValues = 64 / Unsafe.SizeOf<T>();
        for (int line = from; line < to; line++)
        {
            if (line < aLines) { Line(ref Unsafe.Add(ref a, line * lineValues)); continue; }
            int rest = line - aLines, which = rest / bcdLines, at = (rest - which * bcdLines) * lineValues;
            if (which == 0) Line(ref Unsafe.Add(ref b, at));
            else if (which == 1) Line(ref Unsafe.Add(ref c, at));
            else if (which == 2) Line(ref Unsafe.Add(ref d, at));
        }
    }
}
