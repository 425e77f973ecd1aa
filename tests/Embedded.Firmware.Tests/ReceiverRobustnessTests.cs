using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests;

/// <summary>Whatever arrives on the wire, the device's receiver never throws and never installs anything it did not verify.</summary>
public sealed class ReceiverRobustnessTests
{
    private static readonly byte[] OldModel = TestImages.Make(61, 900);

    [Fact]
    public void Random_bytes_and_mutated_valid_frames_never_throw_or_touch_the_model()
    {
        var random = new Random(12345);
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, OldModel);
        var harness = new FlashHarness(files, seed: 6);
        var writer = new FrameWriter();
        var sink = new byte[4096];
        for (int round = 0; round < 3000; round++)
        {
            byte[] bytes;
            if (round % 3 == 0)
            {
                bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
            }
            else
            {
                // A well-formed frame of a random type with a random payload (valid CRC): the receiver must
                // reject nonsense requests by their content, not by their framing.
                int length = random.Next(0, 64);
                random.NextBytes(writer.Payload.AsSpan(0, length));
                if (round % 3 == 1 && length >= 12) writer.Payload[0] = ProtocolConstants.Version;
                writer.Build((MessageType)random.Next(0, 12), random.Next(0x10000), length);
                bytes = writer.LastFrame.AsSpan(0, writer.LastFrameLength).ToArray();
            }
            harness.PcLink.Write(bytes, 0, bytes.Length);
            harness.Receiver.Poll();
            while (harness.PcLink.Read(sink, 0, sink.Length) > 0) { }
            harness.Clock.Advance(random.Next(0, 50));
        }
        harness.RunDeviceOnly(20_000);
        Assert.False(harness.Receiver.IsReceiving);
        Assert.Equal(OldModel, files.Get(ModelStore.ModelFile));
        Assert.Equal(new[] { ModelStore.ModelFile }, files.Names);
        Assert.Equal(0, harness.Receiver.Stats.Commits);
        Assert.True(harness.Receiver.BadFrames > 0);
    }
}
