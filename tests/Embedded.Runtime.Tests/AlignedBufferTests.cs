using System.Runtime.CompilerServices;
using Embedded.Accelerated;
using Xunit;

namespace Embedded.Runtime.Tests;

public unsafe class AlignedBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1000)]
    public void Buffers_start_on_a_cache_line_and_stay_there_through_collections(int length)
    {
        var bytes = new AlignedBuffer<sbyte>(length);
        var shorts = new AlignedBuffer<short>(length);
        var ints = new AlignedBuffer<int>(length);
        var longs = new AlignedBuffer<long>(length);
        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(0u, Address(ref bytes.Start) % 64);
            Assert.Equal(0u, Address(ref shorts.Start) % 64);
            Assert.Equal(0u, Address(ref ints.Start) % 64);
            Assert.Equal(0u, Address(ref longs.Start) % 64);
            // Garbage between the buffers, then full compacting collections: a moved array would lose the alignment.
            for (int i = 0; i < 1000; i++) _ = new byte[i % 97 + 1];
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
    }

    [Fact]
    public void The_span_covers_exactly_the_buffer_from_its_aligned_start()
    {
        var ints = new AlignedBuffer<int>(40);
        Span<int> span = ints.Span;
        Assert.Equal(40, span.Length);
        for (int i = 0; i < span.Length; i++) span[i] = i * 3;
        Assert.True(Unsafe.AreSame(ref ints.Start, ref span[0]));
        Assert.Equal(39 * 3, ints[39]);
        Assert.Throws<IndexOutOfRangeException>(() => ints[40]);
    }

    private static nuint Address<T>(ref T value) => (nuint)Unsafe.AsPointer(ref value);
}
