using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Embedded.Accelerated;

/// <summary>
/// A buffer whose first element sits on a 64-byte (cache line, one zmm register) boundary. An ordinary
/// array's data is only 8-byte aligned, so its 64-byte loads straddle two cache lines in 7 placements of 8,
/// which costs the requantisation about 1.7× (tools/bench AlignmentBenchmarks: 128 rows, 10.1 against
/// 17.1–17.3 ns). The array is pinned (allocated on the pinned object heap, where the GC never moves it),
/// so the offset found at allocation stays right for the buffer's life.
/// </summary>
internal sealed unsafe class AlignedBuffer<T>
    where T : unmanaged
{
    public const int Alignment = 64;

    private readonly T[] _array;
    private readonly int _offset;

    public AlignedBuffer(int length)
    {
        Length = length;
        _array = GC.AllocateArray<T>(length + Alignment / sizeof(T), pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _offset = (int)((Alignment - address % Alignment) % Alignment) / sizeof(T);
    }

    public int Length { get; }

    /// <summary>The first element (64-byte aligned); index on from it with Unsafe.Add or LoadUnsafe.</summary>
    public ref T Start
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset);
    }

    public Span<T> Span => _array.AsSpan(_offset, Length);

    public ref T this[int index] => ref Span[index];
}
