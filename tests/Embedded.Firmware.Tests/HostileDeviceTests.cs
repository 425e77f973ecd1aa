using Embedded.Cli.Flashing;
using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;

namespace Embedded.Firmware.Tests;

/// <summary>
/// `flash` against a device that lies or never lets the transfer finish: the sender must end, with a
/// failure, and never report "installed" for a model the device did not confirm.
/// </summary>
public sealed class HostileDeviceTests
{
    private static readonly byte[] Model = TestImages.Make(43, 3000);

    /// <summary>Runs a sender against a device that answers Hello properly and everything else with <paramref name="reply"/>.</summary>
    private static FlashSender Run(Func<MessageType, int, (MessageType Type, uint Value, byte Reason)> reply, int maxPolls = 2_000_000)
    {
        var (pc, device) = SimLink.CreatePair(5);
        var clock = new SimClock();
        var sender = new FlashSender(pc, clock, Model, null, 100) { ResponseTimeoutMs = 50 };
        var decoder = new FrameDecoder();
        var writer = new FrameWriter();
        var buffer = new byte[4096];
        int requests = 0;
        for (int i = 0; i < maxPolls && !sender.IsFinished; i++)
        {
            sender.Poll();
            int n = device.Read(buffer, 0, buffer.Length);
            for (int j = 0; j < n; j++)
            {
                if (!decoder.Push(buffer[j])) continue;
                Frame request = decoder.Current;
                if (request.Type == MessageType.Hello)
                {
                    writer.Payload[0] = ProtocolConstants.Version;
                    LittleEndian.WriteUInt16(writer.Payload, 1, 0x0100);
                    LittleEndian.WriteUInt32(writer.Payload, 3, 65536);
                    LittleEndian.WriteUInt16(writer.Payload, 7, 1024);
                    writer.Payload[9] = 0;
                    LittleEndian.WriteUInt32(writer.Payload, 10, 0);
                    LittleEndian.WriteUInt32(writer.Payload, 14, 0);
                    writer.Build(MessageType.HelloReply, request.Sequence, 18);
                }
                else
                {
                    var (type, value, reason) = reply(request.Type, requests++);
                    if (type == MessageType.Nak)
                    {
                        writer.Payload[0] = reason;
                        LittleEndian.WriteUInt32(writer.Payload, 1, value);
                        writer.Build(MessageType.Nak, request.Sequence, 5);
                    }
                    else
                    {
                        LittleEndian.WriteUInt32(writer.Payload, 0, value);
                        writer.Build(type, request.Sequence, 4);
                    }
                }

                writer.SendTo(device);
            }

            clock.Advance(1);
        }

        Assert.True(sender.IsFinished, "the sender never finished");
        return sender;
    }

    [Fact]
    public void A_device_that_naks_forever_is_given_up_by_the_progress_check()
    {
        FlashSender sender = Run((_, _) => (MessageType.Nak, 0, 1));
        Assert.Equal(SenderFailure.Stalled, sender.Failure);
        Assert.Contains("no progress", sender.FailureMessage);
        Assert.Equal(FlashExitCodes.TransferFailed, FlashTransfer.ExitCode(sender));
    }

    [Fact]
    public void A_device_that_alternates_ack_and_nak_is_given_up_at_the_deadline()
    {
        // Every Ack moves forward one chunk and every Nak sends the PC back to 0: progress, then none, forever.
        FlashSender sender = Run((type, n) => n % 2 == 0 ? (MessageType.Ack, type == MessageType.Begin ? 0u : 256u, (byte)0) : (MessageType.Nak, 0, 1));
        Assert.Equal(SenderFailure.Stalled, sender.Failure);
        Assert.Contains("did not finish within", sender.FailureMessage);
    }

    [Fact]
    public void End_acknowledged_with_another_checksum_is_not_reported_as_installed()
    {
        // The device claims to have everything at Begin and acks End with a value that is not the model's checksum.
        FlashSender sender = Run((type, _) => (MessageType.Ack, type == MessageType.End ? 0x12345678u : (uint)Model.Length, (byte)0));
        Assert.NotEqual(SenderFailure.None, sender.Failure);
        Assert.Contains("did not install this model", sender.FailureMessage);
        Assert.NotEqual(0, FlashTransfer.ExitCode(sender));
    }

    [Fact]
    public void End_acknowledged_with_the_model_checksum_is_installed()
    {
        uint crc = ModelChecksum.Compute(Model);
        FlashSender sender = Run((type, _) => (MessageType.Ack, type == MessageType.End ? crc : (uint)Model.Length, (byte)0));
        Assert.Equal(SenderFailure.None, sender.Failure);
        Assert.Equal(SenderState.Done, sender.State);
    }
}
