using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests;

/// <summary>COBS framing, per-frame CRC and resynchronisation after garbage.</summary>
public sealed class FramingTests
{
    [Fact]
    public void Cobs_round_trips_any_bytes_and_never_emits_zero()
    {
        var random = new Random(3);
        foreach (int length in new[] { 0, 1, 2, 253, 254, 255, 256, 600, 1100 })
        {
            for (int pattern = 0; pattern < 3; pattern++)
            {
                var data = new byte[length];
                if (pattern == 1) random.NextBytes(data);
                if (pattern == 2) Array.Fill(data, (byte)0xAA);
                var encoded = new byte[Cobs.MaxEncodedLength(length)];
                int n = Cobs.Encode(data, 0, length, encoded, 0);
                Assert.DoesNotContain((byte)0, encoded.AsSpan(0, n).ToArray());
                var decoded = new byte[length + 1];
                Assert.Equal(length, Cobs.Decode(encoded, 0, n, decoded, 0));
                Assert.Equal(data, decoded.AsSpan(0, length).ToArray());
            }
        }
    }

    [Fact]
    public void Decoder_recovers_frames_between_garbage_and_rejects_corrupted_ones()
    {
        var writer = new FrameWriter();
        var stream = new List<byte>();
        stream.AddRange("status line t=1 x=0.5\n"u8.ToArray());
        for (int i = 0; i < 5; i++)
        {
            writer.Payload[0] = (byte)i;
            writer.Build(MessageType.Ack, 100 + i, 1);
            var bytes = writer.LastFrame.AsSpan(0, writer.LastFrameLength).ToArray();
            if (i == 2) bytes[bytes.Length / 2] ^= 0x10; // one corrupted frame
            stream.AddRange(bytes);
            stream.AddRange(new byte[] { 0x13, 0x37 }); // noise between frames
        }
        var decoder = new FrameDecoder();
        var seen = new List<int>();
        foreach (byte b in stream)
        {
            if (decoder.Push(b))
            {
                Assert.Equal(MessageType.Ack, decoder.Current.Type);
                seen.Add(decoder.Current.Sequence);
                Assert.Equal(decoder.Current.Sequence - 100, decoder.Current.Payload[0]);
            }
        }
        Assert.Equal(new[] { 100, 101, 103, 104 }, seen);
        Assert.True(decoder.BadFrames >= 2, "the corrupted frame and the noise are counted");
    }

    [Fact]
    public void Decoder_drops_an_over_long_frame_and_still_reads_the_next()
    {
        var decoder = new FrameDecoder();
        for (int i = 0; i < 5000; i++) Assert.False(decoder.Push(0x55));
        var writer = new FrameWriter();
        writer.Build(MessageType.End, 7, 0);
        bool got = false;
        for (int i = 0; i < writer.LastFrameLength; i++) got |= decoder.Push(writer.LastFrame[i]);
        Assert.True(got);
        Assert.Equal(7, decoder.Current.Sequence);
        Assert.Equal(1, decoder.BadFrames);
    }

    [Theory]
    [InlineData(1036)]
    [InlineData(1037)]
    [InlineData(1039)]
    [InlineData(1040)]
    public void Decoder_counts_a_run_that_decodes_past_the_frame_buffer_as_a_bad_frame(int run)
    {
        // The issue: 1,037 non-zero bytes without a delimiter fit the encoded buffer but decoded past the
        // 1,035-byte frame buffer (IndexOutOfRangeException on the device and in `embedded flash`).
        var decoder = new FrameDecoder();
        for (int i = 0; i < run; i++) Assert.False(decoder.Push(0xFF));
        Assert.False(decoder.Push(ProtocolConstants.Delimiter));
        Assert.Equal(1, decoder.BadFrames);
        var writer = new FrameWriter();
        writer.Build(MessageType.End, 9, 0);
        bool got = false;
        for (int i = 0; i < writer.LastFrameLength; i++) got |= decoder.Push(writer.LastFrame[i]);
        Assert.True(got);
        Assert.Equal(9, decoder.Current.Sequence);
    }

    [Fact]
    public void Cobs_decode_refuses_output_that_does_not_fit()
    {
        var encoded = new byte[] { 5, 1, 2, 3, 4, 3, 5, 6 }; // decodes to 1 2 3 4 0 5 6
        Assert.Equal(7, Cobs.Decode(encoded, 0, encoded.Length, new byte[7], 0));
        Assert.Equal(-1, Cobs.Decode(encoded, 0, encoded.Length, new byte[6], 0));
        Assert.Equal(-1, Cobs.Decode(encoded, 0, encoded.Length, new byte[4], 0));
    }
}
