using Embedded.Firmware;
using Embedded.Shared.Flashing;
using Embedded.Shared.Kernels;

namespace Embedded.BitExact
{
    /// <summary>
    /// FirmwareApp on fake hardware as Program.cs wires it: boot on the embedded default model, the sample
    /// loop with its status lines, a complete model update from a FlashSender over an in-memory serial link,
    /// more samples on the new model, a second of record mode, then a reboot that must load the model from flash.
    /// </summary>
    public static class FirmwareScenario
    {
        public static void Run(byte[] update)
        {
            ByteQueue toDevice = new ByteQueue();
            ByteQueue toPc = new ByteQueue();
            ByteQueue transcript = new ByteQueue();
            MemoryLink device = new MemoryLink(toDevice, toPc, transcript);
            MemoryLink pc = new MemoryLink(toPc, toDevice, null);
            SimClock clock = new SimClock();
            MemoryFileStore files = new MemoryFileStore();

            FirmwareApp app = Boot(device, clock, files, transcript);
            RunFor(app, clock, null, 3000);
            SerialTranscript.Drain(transcript);
            Out.Line("APP samples=" + app.Samples.ToString() + " anomalies=" + app.Anomalies.ToString() + " source=" + app.ModelSource);

            FlashSender sender = new FlashSender(pc, clock, update, null, 4242);
            sender.ResponseTimeoutMs = 50;
            sender.CommitTimeoutMs = 500;
            int ms = 0;
            while (!sender.IsFinished && ms < 200000)
            {
                RunFor(app, clock, sender, 1);
                ms++;
            }
            SerialTranscript.Drain(transcript);
            Out.Line("FLASH state=" + ((int)sender.State).ToString() + " failure=" + ((int)sender.Failure).ToString()
                + " acked=" + sender.BytesAcknowledged.ToString() + "/" + sender.TotalBytes.ToString()
                + " retries=" + sender.TotalRetries.ToString() + " ms=" + ms.ToString() + " " + sender.FailureMessage);

            RunFor(app, clock, null, 3000);
            SerialTranscript.Drain(transcript);
            Out.Line("APP samples=" + app.Samples.ToString() + " anomalies=" + app.Anomalies.ToString() + " source=" + app.ModelSource
                + " crc=" + FixedFormat.Hex32(app.ModelCrc));

            // Record mode: every sample streamed as a Sample frame (their lengths and hashes are in the
            // transcript, so the Q15.16 values must come out bit-identical), then RecordStop.
            FrameWriter pcWriter = new FrameWriter();
            pcWriter.Build(MessageType.RecordStart, 7, RecordProtocol.WriteStart(pcWriter.Payload));
            pcWriter.SendTo(pc);
            RunFor(app, clock, null, 1000);
            pcWriter.Build(MessageType.RecordStop, 8, 0);
            pcWriter.SendTo(pc);
            RunFor(app, clock, null, 200);
            SerialTranscript.Drain(transcript);
            Out.Line("RECORD sent=" + app.Receiver.RecordedSamples.ToString() + " recording=" + (app.Receiver.IsRecording ? "1" : "0")
                + " samples=" + app.Samples.ToString());

            // Power cycle: same flash, fresh RAM.
            FirmwareApp rebooted = Boot(device, clock, files, transcript);
            RunFor(rebooted, clock, null, 1000);
            SerialTranscript.Drain(transcript);
            Out.Line("APP samples=" + rebooted.Samples.ToString() + " source=" + rebooted.ModelSource + " crc=" + FixedFormat.Hex32(rebooted.ModelCrc));
        }

        private static FirmwareApp Boot(MemoryLink device, SimClock clock, MemoryFileStore files, ByteQueue transcript)
        {
            FirmwareConfig config = new FirmwareConfig();
            PortableKernel kernel = new PortableKernel(config.PackedBytesPerMatrix);
            SensorSampler sampler = new SensorSampler(new FakeAdc(), config.AdcVoltsPerCount, null, 0);
            FirmwareApp app = new FirmwareApp(config, device, clock, files, new DefaultModel(), new GoldenVectorValidator(kernel),
                new ModelRunnerFactory(kernel), sampler, new FakeLed());
            app.Boot();
            SerialTranscript.Drain(transcript);
            return app;
        }

        private static void RunFor(FirmwareApp app, SimClock clock, FlashSender sender, int milliseconds)
        {
            for (int i = 0; i < milliseconds; i++)
            {
                if (sender != null) sender.Poll();
                app.Tick();
                clock.NowMilliseconds = clock.NowMilliseconds + 1;
            }
        }
    }
}
