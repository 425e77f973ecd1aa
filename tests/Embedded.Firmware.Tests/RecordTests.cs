using Embedded.Cli.Recording;
using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;

namespace Embedded.Firmware.Tests;

/// <summary>Record mode: the Sample/RecordInfo payloads, the device streaming them, and the PC session's loss accounting.</summary>
public sealed class RecordTests
{
    [Fact]
    public void Sample_payload_round_trips_values_number_time_and_flags()
    {
        var payload = new byte[ProtocolConstants.MaxPayload];
        double[] values = [0.0, 1.5, -2.25, 3.3 / 4095 * 2001, 32767.5, -1e9, double.NaN];
        int length = RecordProtocol.WriteSample(payload, 0xFFFFFFF0u, 123_456u, 7u, values, values.Length);

        Assert.Equal(RecordProtocol.SampleLength(values.Length), length);
        Assert.Equal(0xFFFFFFF0u, RecordProtocol.ReadSampleNumber(payload));
        Assert.Equal(123_456u, RecordProtocol.ReadTimeMs(payload));
        Assert.Equal(7u, RecordProtocol.ReadSkipped(payload));
        Assert.Equal(values.Length, RecordProtocol.ReadCount(payload));
        Assert.Equal(RecordProtocol.FlagSaturated, RecordProtocol.ReadFlags(payload));
        Assert.Equal(0.0, RecordProtocol.ReadValue(payload, 0));
        Assert.Equal(1.5, RecordProtocol.ReadValue(payload, 1));
        Assert.Equal(-2.25, RecordProtocol.ReadValue(payload, 2));
        Assert.InRange(RecordProtocol.ReadValue(payload, 3) - values[3], -1.0 / 131072, 1.0 / 131072);
        Assert.Equal(32767.5, RecordProtocol.ReadValue(payload, 4));
        Assert.Equal(-int.MaxValue / 65536.0, RecordProtocol.ReadValue(payload, 5));
        Assert.True(double.IsNaN(RecordProtocol.ReadValue(payload, 6)));

        RecordProtocol.WriteSample(payload, 1, 2, 0, [1.0, -1.0], 2);
        Assert.Equal(0, RecordProtocol.ReadFlags(payload));
    }

    [Fact]
    public void Info_payload_carries_names_period_and_format_and_a_malformed_one_is_refused()
    {
        var payload = new byte[ProtocolConstants.MaxPayload];
        string[] names = ["adc", "accel,x", new string('n', 40), "gyro_z"];
        int length = RecordProtocol.WriteInfo(payload, 20, names, 3);

        RecordInfo info = RecordSession.ParseInfo(payload, length);
        Assert.Equal(20, info.PeriodMs);
        Assert.Equal(RecordProtocol.FracBits, info.FracBits);
        // A comma would break the CSV header: it becomes '?'. Names are cut at 32 bytes; only `count` are sent.
        Assert.Equal(["adc", "accel?x", new string('n', RecordProtocol.MaxNameLength)], info.FeatureNames);

        var ex = Assert.Throws<InvalidDataException>(() => RecordSession.ParseInfo(payload, length - 3));
        Assert.Contains("feature 3", ex.Message);
        Assert.Throws<InvalidDataException>(() => RecordSession.ParseInfo(payload, 4));
    }

    [Fact]
    public void Longest_info_and_sample_fit_one_frame()
    {
        var names = Enumerable.Repeat(new string('x', 60), RecordProtocol.MaxFeatures).ToArray();
        var payload = new byte[ProtocolConstants.MaxPayload];
        Assert.True(RecordProtocol.WriteInfo(payload, 10, names, names.Length) <= ProtocolConstants.MaxPayload);
        Assert.True(RecordProtocol.SampleLength(RecordProtocol.MaxFeatures) <= ProtocolConstants.MaxPayload);
    }

    [Fact]
    public void A_device_without_a_model_streams_every_sample_with_its_feature_names_and_stops_on_request()
    {
        var rig = new AppRig(new MemoryFileStore(), embedded: null, adc: new FakeAdc(i => 2000 + i));
        rig.App.Boot();
        Assert.False(rig.App.HasModel);
        rig.Lines();
        var session = new RecordSession(rig.PcLink, rig.Clock, 500) { ResponseTimeoutMs = 50 };
        session.Start();
        var samples = new List<RecordedSample>();
        for (int ms = 0; ms < 1000; ms++)
        {
            samples.AddRange(session.Poll());
            rig.App.Tick();
            rig.Clock.Advance(1);
        }
        Assert.NotNull(session.Info);
        Assert.Equal(["adc"], session.Info!.FeatureNames);
        Assert.Equal(rig.Config.DefaultSamplePeriodMs, session.Info.PeriodMs);
        Assert.InRange(samples.Count, 9, 11); // one every 100 ms
        Assert.Equal(Enumerable.Range(0, samples.Count).Select(i => (uint)i), samples.Select(s => s.Number));
        int firstRead = (int)Math.Round(samples[0].Values[0] / (3.3 / 4095)) - 2000;
        for (int i = 0; i < samples.Count; i++)
        {
            Assert.InRange(samples[i].Values[0] - (2000 + firstRead + i) * 3.3 / 4095, -1e-5, 1e-5);
            if (i > 0) Assert.Equal(100u, samples[i].DeviceTimeMs - samples[i - 1].DeviceTimeMs);
        }
        Assert.Equal(0, session.Lost);
        Assert.Equal(0, session.Corrupt);

        session.Stop();
        for (int ms = 0; ms < 200 && !session.Stopped; ms++)
        {
            samples.AddRange(session.Poll());
            rig.App.Tick();
            rig.Clock.Advance(1);
        }
        Assert.True(session.Stopped, session.Failure);
        Assert.Equal((uint)samples.Count, session.DeviceSent);
        Assert.False(rig.App.Receiver.IsRecording);
        rig.RunFor(500);
        Assert.Empty(session.Poll());
    }

    [Fact]
    public void The_device_stops_streaming_when_the_pc_goes_quiet()
    {
        var rig = new AppRig(new MemoryFileStore(), embedded: null);
        rig.App.Boot();
        var session = new RecordSession(rig.PcLink, rig.Clock, 1) { ResponseTimeoutMs = 50 };
        session.Start();
        for (int ms = 0; ms < 300; ms++)
        {
            session.Poll().ToList();
            rig.App.Tick();
            rig.Clock.Advance(1);
        }
        Assert.True(rig.App.Receiver.IsRecording);
        rig.RunFor(RecordProtocol.IdleTimeoutMs + 100); // the PC's keep-alives stop: nobody polls the session
        Assert.False(rig.App.Receiver.IsRecording);
    }

    [Fact]
    public void Session_counts_sequence_gaps_as_lost_and_damaged_frames_as_corrupt()
    {
        var (pc, device) = SimLink.CreatePair(5);
        var clock = new SimClock();
        var session = new RecordSession(pc, clock, 99);
        session.Start(); // sequence 100
        var writer = new FrameWriter();
        writer.Build(MessageType.RecordInfo, 100, RecordProtocol.WriteInfo(writer.Payload, 10, ["a", "b"], 2));
        writer.SendTo(device);
        Assert.Empty(session.Poll());
        Assert.Equal(["a", "b"], session.Info!.FeatureNames);

        foreach (uint n in new uint[] { 0, 1, 2, 3, 5, 6, 6, 9 })
        {
            writer.Build(MessageType.Sample, (int)n, RecordProtocol.WriteSample(writer.Payload, n, 10 * n, 0, [n, -1.0 * n], 2));
            byte[] bytes = writer.LastFrame.AsSpan(0, writer.LastFrameLength).ToArray();
            if (n == 3) bytes[bytes.Length / 2] ^= 0x40; // damaged on the wire: CRC fails
            device.Write(bytes, 0, bytes.Length);
        }
        // A CRC-valid frame with the wrong feature count is refused as corrupt too.
        writer.Build(MessageType.Sample, 10, RecordProtocol.WriteSample(writer.Payload, 10, 100, 0, [1.0], 1));
        writer.SendTo(device);

        var got = session.Poll().ToList();
        Assert.Equal(new uint[] { 0, 1, 2, 5, 6, 9 }, got.Select(s => s.Number));
        Assert.Equal([5.0, -5.0], got[3].Values);
        Assert.Equal(4, session.Lost);      // 3, 4, 7, 8
        Assert.Equal(2, session.Corrupt);   // the damaged 3 and the one-value frame
        Assert.Equal(1, session.OutOfOrder); // the repeated 6
    }

    [Fact]
    public void Session_without_an_answer_fails_with_a_clear_message()
    {
        var (pc, _) = SimLink.CreatePair(9);
        var clock = new SimClock();
        var session = new RecordSession(pc, clock, 1) { MaxRetries = 2, ResponseTimeoutMs = 10 };
        session.Start();
        for (int i = 0; i < 100 && session.Failure is null; i++)
        {
            session.Poll().ToList();
            clock.Advance(5);
        }
        Assert.Equal("no reply to RecordStart after 3 tries (no device, or firmware without record mode)", session.Failure);
    }

    [Fact]
    public void Streaming_a_sample_allocates_nothing()
    {
        var link = new DiscardLink();
        var clock = new SimClock();
        var receiver = new FlashReceiver(link, clock, new ModelStore(new MemoryFileStore(), new EnvelopeValidator(), 1024), null!)
        {
            RecordFeatureNames = ["adc", "accel_x", "accel_y", "accel_z"],
            RecordPeriodMs = 10,
        };
        var writer = new FrameWriter();
        writer.Build(MessageType.RecordStart, 1, RecordProtocol.WriteStart(writer.Payload));
        link.Incoming = writer.LastFrame.AsSpan(0, writer.LastFrameLength).ToArray();
        receiver.Poll();
        Assert.True(receiver.IsRecording);

        var features = new[] { 1.25, 0.01, -0.98, 0.02 };
        receiver.SendSample(features, 4, 0); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            receiver.SendSample(features, 4, i);
            receiver.RecordSkipped();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001u, receiver.RecordedSamples);
    }

    private sealed class DiscardLink : ISerialLink
    {
        public byte[] Incoming { get; set; } = [];

        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, Incoming.Length);
            Array.Copy(Incoming, 0, buffer, offset, n);
            Incoming = Incoming[n..];
            return n;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
        }
    }
}
