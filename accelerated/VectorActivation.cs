using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Fixed;

namespace Embedded.Accelerated;

/// <summary>
/// <see cref="Activation"/> on 16 lanes at once (AVX-512), bit-exact: the same table, read with one
/// gather of a packed entry (low 16 bits T[k], high 16 bits T[k+1] − T[k]) per lane.
/// </summary>
internal static unsafe class VectorActivation
{
    /// <summary>Entries 0..512 from the portable table, 513 repeats 512 so the saturated end interpolates to 32767.</summary>
    private static readonly int[] Pinned = Build();
    private static readonly int* Table = (int*)Unsafe.AsPointer(ref Pinned[0]);

    private static int[] Build()
    {
        int[] table = GC.AllocateArray<int>(514, pinned: true);
        // Tanh at an exact table point (k·64 in Q12, no fraction) returns T[k]; 512 and beyond give 32767.
        for (int k = 0; k <= 513; k++)
        {
            int t = Activation.Tanh(Math.Min(k, 512) * 64);
            int next = Activation.Tanh(Math.Min(k + 1, 512) * 64);
            table[k] = (t & 0xFFFF) | ((next - t) << 16);
        }
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Tanh(Vector512<int> x) => Lookup(x, 6);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Sigmoid(Vector512<int> x) => Vector512.ShiftRightArithmetic(Lookup(x, 7) + Vector512.Create(Activation.OneQ15), 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Lookup(Vector512<int> x, int stepBits)
    {
        // |x| clamped to 2^30 (anything at or past the table end saturates alike), as the scalar code.
        Vector512<int> a = Vector512.Min(Vector512.Abs(Vector512.Max(x, Vector512.Create(-0x40000000))), Vector512.Create(0x40000000));
        Vector512<int> index = Vector512.Min(Vector512.ShiftRightArithmetic(a, stepBits), Vector512.Create(512));
        Vector512<int> frac = a & Vector512.Create((1 << stepBits) - 1);
        // .NET exposes no 512-bit gather: two 256-bit ones.
        Vector512<int> entry = Vector512.Create(Avx2.GatherVector256(Table, index.GetLower(), 4), Avx2.GatherVector256(Table, index.GetUpper(), 4));
        Vector512<int> start = entry & Vector512.Create(0xFFFF);
        Vector512<int> slope = Vector512.ShiftRightArithmetic(entry, 16);
        Vector512<int> y = start + Vector512.ShiftRightArithmetic(slope * frac + Vector512.Create(1 << (stepBits - 1)), stepBits);
        // Negate where x < 0: (y ^ m) - m with m = x >> 31.
        Vector512<int> sign = Vector512.ShiftRightArithmetic(x, 31);
        return (y ^ sign) - sign;
    }
}
