using System.Text;
using Embedded.Firmware;
using Embedded.Firmware.Tests.Fakes;
using Embedded.Shared.Flashing;
using Embedded.Shared.Model;

namespace Embedded.Firmware.Tests;

/// <summary>The firmware's boot, self-test, fallback, sample loop and live model update on fake hardware.</summary>
public sealed class FirmwareAppTests
{
    private static readonly byte[] StoredModel = TestImages.Make(31, 1200);
    private static readonly byte[] EmbeddedModel = TestImages.Make(32, 900);
    private static readonly byte[] NewModel = TestImages.Make(33, 1500);

    private static MemoryFileStore WithStored(byte[]? image)
    {
        var files = new MemoryFileStore();
        if (image is not null) files.Put(ModelStore.ModelFile, image);
        return files;
    }

    [Fact]
    public void Boot_prefers_the_valid_stored_model_and_reports_the_self_test()
    {
        var rig = new AppRig(WithStored(StoredModel), EmbeddedModel);
        rig.App.Boot();
        Assert.Equal("flash", rig.App.ModelSource);
        Assert.Equal(ModelChecksum.Compute(StoredModel), rig.App.ModelCrc);
        var lines = rig.Lines();
        Assert.StartsWith("BOOT fw=1.0 protocol=1 sensors=1", lines[0]);
        Assert.Contains(lines, l => l == "KEY none (unsigned models accepted)");
        Assert.Contains(lines, l => l.StartsWith("MODEL flash crc=" + FixedFormat.Hex32(rig.App.ModelCrc) + " bytes=1200") && l.EndsWith("selftest=ok"));
    }

    [Fact]
    public void Corrupt_stored_model_falls_back_to_the_embedded_one()
    {
        var corrupt = (byte[])StoredModel.Clone();
        corrupt[10] ^= 1;
        var rig = new AppRig(WithStored(corrupt), EmbeddedModel);
        rig.App.Boot();
        Assert.Equal("embedded", rig.App.ModelSource);
        Assert.Contains(rig.Lines(), l => l == "STORE no valid stored model");
    }

    [Fact]
    public void Nothing_valid_anywhere_boots_without_a_model_keeps_looping_and_accepts_one_over_serial()
    {
        var badEmbedded = (byte[])EmbeddedModel.Clone();
        badEmbedded[20] ^= 4;
        var rig = new AppRig(WithStored(null), badEmbedded);
        rig.App.Boot();
        Assert.False(rig.App.HasModel);
        var lines = rig.Lines();
        Assert.Contains(lines, l => l.StartsWith("SELFTEST embedded FAIL"));
        Assert.Contains(lines, l => l.StartsWith("NOMODEL"));
        rig.RunFor(500);
        Assert.Equal(0, rig.App.Samples);

        var sender = rig.Flash(NewModel);
        Assert.Equal(SenderState.Done, sender.State);
        Assert.True(rig.App.HasModel);
        Assert.Equal("flash", rig.App.ModelSource);
        rig.RunFor(200);
        Assert.True(rig.App.Samples > 0);
    }

    [Fact]
    public void Embedded_model_unreadable_is_reported_not_fatal()
    {
        var rig = new AppRig(WithStored(null), embedded: null);
        rig.App.Boot();
        Assert.Contains(rig.Lines(), l => l.StartsWith("EMBEDDED unreadable"));
        rig.RunFor(100);
    }

    [Fact]
    public void Loop_samples_at_the_model_rate_steps_the_model_and_prints_status_lines()
    {
        var factory = new FakeRunnerFactory { PeriodMs = 20 };
        var rig = new AppRig(WithStored(StoredModel), null, adc: new FakeAdc(i => 1000 + i), factory: factory);
        rig.App.Boot();
        rig.Lines();
        rig.RunFor(1000);
        Assert.Equal(50, rig.App.Samples);
        Assert.Equal(50, factory.Last!.Steps);
        // Raw 1000 counts * 3.3/4095 V in Q16.
        Assert.Equal(FixedIoRound(1000 * 3.3 / 4095.0), factory.Last.Inputs[0][0]);
        var status = rig.Lines().Where(l => l.StartsWith("S ")).ToList();
        Assert.Equal(10, status.Count);
        Assert.StartsWith("S n=5 x=0.809 p=0.809 s=0.000 a=0 na=0 se=0 fe=0 m=", status[0]);
    }

    private static int FixedIoRound(double volts) => (int)Math.Round(volts * 65536, MidpointRounding.AwayFromZero);

    [Fact]
    public void Anomaly_lights_the_led_and_normal_samples_turn_it_off()
    {
        // Samples 10..14 are high; the fake detector flags inputs above 2 V.
        var factory = new FakeRunnerFactory { PeriodMs = 10, Threshold = 2 << 16 };
        var rig = new AppRig(WithStored(StoredModel), null, adc: new FakeAdc(i => i >= 10 && i < 15 ? 4000 : 1000), factory: factory);
        rig.App.Boot();
        rig.RunFor(200);
        Assert.Equal(20, rig.App.Samples);
        Assert.Equal(5, rig.App.Anomalies);
        Assert.Equal(new[] { true, false }, rig.Led.Changes);
        Assert.False(rig.Led.On);
    }

    [Fact]
    public void Failing_sensor_is_counted_and_the_loop_keeps_running()
    {
        var factory = new FakeRunnerFactory { PeriodMs = 10 };
        var rig = new AppRig(WithStored(StoredModel), null, adc: new FakeAdc(i => i % 3 == 0 ? null : 500), factory: factory);
        rig.App.Boot();
        rig.RunFor(300);
        Assert.Equal(10, rig.App.SensorErrors);
        Assert.Equal(20, rig.App.Samples);
        Assert.Contains(rig.Lines(), l => l.StartsWith("S ") && l.Contains(" se="));
    }

    [Fact]
    public void Failing_model_step_is_counted_and_the_loop_keeps_running()
    {
        var factory = new FakeRunnerFactory { PeriodMs = 10 };
        var rig = new AppRig(WithStored(StoredModel), null, factory: factory);
        rig.App.Boot();
        factory.Last!.ThrowOnStep = true;
        rig.RunFor(100);
        Assert.Equal(10, rig.App.StepErrors);
        factory.Last.ThrowOnStep = false;
        rig.RunFor(100);
        Assert.Equal(10, rig.App.Samples);
    }

    [Fact]
    public void Model_flashed_while_running_is_switched_to_and_the_loop_never_stops()
    {
        var factory = new FakeRunnerFactory { PeriodMs = 5 };
        var rig = new AppRig(WithStored(StoredModel), null, factory: factory);
        rig.App.Boot();
        rig.RunFor(100);
        int before = rig.App.Samples;
        var sender = rig.Flash(NewModel);
        Assert.Equal(SenderState.Done, sender.State);
        Assert.True(rig.App.Samples > before, "sampling continued during the transfer");
        Assert.Equal(NewModel, factory.Created.Last());
        Assert.Equal(ModelChecksum.Compute(NewModel), rig.App.ModelCrc);
        Assert.Equal(rig.App.ModelCrc, rig.App.Receiver.CurrentModelCrc);
        Assert.Equal(NewModel, rig.Files.Get(ModelStore.ModelFile));

        // And the next boot comes up with it.
        var reboot = new AppRig(rig.Files.Reboot(), null);
        reboot.App.Boot();
        Assert.Equal(rig.App.ModelCrc, reboot.App.ModelCrc);
    }

    [Fact]
    public void Known_heap_sets_the_RAM_budget_and_a_model_that_cannot_fit_is_refused_at_Begin()
    {
        // Unknown heap (the default in tests): no check. A heap as an ESP32 without PSRAM has (84 KiB) is smaller than
        // the measured boot and update heap (upper bounds from the 64-bit nanoCLR host), so every model is refused
        // before a byte is written; a PSRAM-sized heap takes it.
        Assert.Equal(0, new FirmwareConfig().ModelRamBudget);
        var small = new FirmwareConfig { StatusEverySamples = 5, MaxModelSize = FlashHarness.MaxModelSize, ManagedHeapBytes = 84 * 1024 };
        Assert.Equal(1, small.ModelRamBudget);
        var rig = new AppRig(WithStored(StoredModel), null, factory: new FakeRunnerFactory { PeriodMs = 5 }, config: small);
        rig.App.Boot();
        Assert.Equal(1, rig.App.Receiver.ModelRamBudget);
        Assert.Equal(small.RamPerModelByte, rig.App.Receiver.RamPerModelByte);
        var refused = rig.Flash(NewModel);
        Assert.Equal(SenderFailure.TooLarge, refused.Failure);
        Assert.Contains("not enough RAM", refused.FailureMessage);
        Assert.Equal(StoredModel, rig.Files.Get(ModelStore.ModelFile));

        // The budget is the heap less the boot and fixed update heap; a model needing exactly it goes in.
        var exact = new FirmwareConfig { StatusEverySamples = 5, MaxModelSize = FlashHarness.MaxModelSize };
        exact.ManagedHeapBytes = exact.BootHeapBytes + exact.UpdateHeapBytes + NewModel.Length * exact.RamPerModelByte;
        Assert.Equal(NewModel.Length * exact.RamPerModelByte, exact.ModelRamBudget);
        var fits = new AppRig(WithStored(StoredModel), null, factory: new FakeRunnerFactory { PeriodMs = 5 }, config: exact);
        fits.App.Boot();
        Assert.Equal(SenderState.Done, fits.Flash(NewModel).State);
        Assert.Equal(NewModel, fits.Files.Get(ModelStore.ModelFile));

        exact.ManagedHeapBytes--;
        var tight = new AppRig(WithStored(StoredModel), null, factory: new FakeRunnerFactory { PeriodMs = 5 }, config: exact);
        tight.App.Boot();
        Assert.Equal(SenderFailure.TooLarge, tight.Flash(NewModel).Failure);
    }

    [Fact]
    public void Provisioned_key_file_makes_the_device_refuse_unsigned_models()
    {
        var key = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef");
        var files = WithStored(StoredModel);
        files.Put("flash.key", key);
        var rig = new AppRig(files, null);
        rig.App.Boot();
        Assert.Contains(rig.Lines(), l => l.StartsWith("KEY provisioned"));
        var unsigned = rig.Flash(NewModel);
        Assert.Equal(SenderFailure.AuthRefused, unsigned.Failure);
        var keyBytes = FlashKey.Parse(key);
        var signed = rig.Flash(NewModel, ModelEnvelope.Tag(keyBytes, 0, 0, NewModel));
        Assert.Equal(SenderState.Done, signed.State);
    }

    [Fact]
    public void Unreadable_key_file_locks_transfers_instead_of_accepting_unsigned_models()
    {
        var files = WithStored(StoredModel);
        files.Put("flash.key", Encoding.ASCII.GetBytes("short"));
        var rig = new AppRig(files, null);
        rig.App.Boot();
        Assert.Contains(rig.Lines(), l => l.StartsWith("KEY unreadable"));
        var anyKey = new byte[32];
        var sender = rig.Flash(NewModel, ModelEnvelope.Tag(anyKey, 0, 0, NewModel));
        Assert.Equal(SenderFailure.AuthRefused, sender.Failure);
        Assert.Equal(StoredModel, files.Get(ModelStore.ModelFile));
    }

    [Fact]
    public void Mpu6050_is_woken_decoded_and_reinitialised_after_a_bus_failure()
    {
        var bus = new FakeMpu6050Bus();
        bus.SetAccel(16384, -8192, 0);
        bus.SetGyro(131, -262, 0);
        var mpu = new Mpu6050(bus);
        var sampler = new SensorSampler(null, 0, mpu, 6);
        var features = new double[6];
        Assert.True(sampler.TrySample(features));
        Assert.Equal(0x01, bus.Registers[0x6B]);
        Assert.Equal(new[] { 1.0, -0.5, 0.0, 1.0, -2.0, 0.0 }, features);

        bus.Failing = true;
        Assert.False(sampler.TrySample(features));
        Assert.False(mpu.IsReady);
        bus.Failing = false;
        bus.Registers[0x6B] = 0x40; // the chip browned out and went back to sleep
        Assert.True(sampler.TrySample(features));
        Assert.Equal(0x01, bus.Registers[0x6B]);
        Assert.Equal(1, sampler.Errors);
    }

    [Fact]
    public void Wrong_chip_on_the_bus_is_a_sensor_error_not_a_crash()
    {
        var bus = new FakeMpu6050Bus();
        bus.Registers[0x75] = 0x12;
        var sampler = new SensorSampler(new FakeAdc(i => 1), 1.0, new Mpu6050(bus), 3);
        Assert.Equal(4, sampler.FeatureCount);
        Assert.False(sampler.TrySample(new double[4]));
        Assert.Equal(1, sampler.Errors);
    }

    [Theory]
    [InlineData(0, 16, "0.000")]
    [InlineData(65536, 16, "1.000")]
    [InlineData(-98304, 16, "-1.500")]
    [InlineData(1, 16, "0.000")]
    [InlineData(-1, 16, "0.000")]
    [InlineData(52429, 16, "0.800")]
    [InlineData(int.MaxValue, 0, "2147483647.000")]
    public void Status_numbers_are_formatted_with_integer_arithmetic(int value, int fracBits, string expected)
    {
        Assert.Equal(expected, FixedFormat.Decimal3(value, fracBits));
    }
}

/// <summary>Refused and installed transfers show up in the status line.</summary>
public sealed class StatusCounterTests
{
    [Fact]
    public void Status_line_counts_updates_and_refused_signatures()
    {
        var key = System.Text.Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef");
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, TestImages.Make(71, 800));
        files.Put("flash.key", key);
        var rig = new AppRig(files, null, factory: new FakeRunnerFactory { PeriodMs = 10 });
        rig.App.Boot();
        var model = TestImages.Make(72, 900);
        Assert.Equal(SenderState.Failed, rig.Flash(model, new byte[32]).State);
        Assert.Equal(SenderState.Done, rig.Flash(model, ModelEnvelope.Tag(FlashKey.Parse(key), 0, 0, model)).State);
        rig.Lines();
        rig.RunFor(100);
        Assert.EndsWith(" up=1 ar=1", rig.Lines().Last(l => l.StartsWith("S ")));
    }
}

/// <summary>A provisioning build writes the key once; later builds keep using it.</summary>
public sealed class ProvisioningTests
{
    private const string Hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    [Fact]
    public void Provisioning_build_writes_the_key_and_later_boots_still_require_signatures()
    {
        var files = new MemoryFileStore();
        files.Put(ModelStore.ModelFile, TestImages.Make(81, 700));
        var first = new AppRig(files, null, config: new FirmwareConfig { ProvisionKeyHex = Hex, MaxModelSize = FlashHarness.MaxModelSize });
        first.App.Boot();
        Assert.Contains(first.Lines(), l => l == "KEY written to flash.key from this build");
        Assert.Equal(Hex, System.Text.Encoding.ASCII.GetString(files.Get("flash.key")!));
        Assert.Null(files.Get("flash.key.tmp"));

        var later = new AppRig(files.Reboot(), null);
        later.App.Boot();
        Assert.Contains(later.Lines(), l => l.StartsWith("KEY provisioned"));
        var model = TestImages.Make(82, 700);
        Assert.Equal(SenderFailure.AuthRefused, later.Flash(model).Failure);

        var otherFiles = files.Reboot();
        var other = new AppRig(otherFiles, null, config: new FirmwareConfig { ProvisionKeyHex = "ff" + Hex[2..], MaxModelSize = FlashHarness.MaxModelSize });
        other.App.Boot();
        Assert.Contains(other.Lines(), l => l.StartsWith("KEY provisioned"));
        Assert.Equal(Hex, System.Text.Encoding.ASCII.GetString(otherFiles.Get("flash.key")!));
    }

    [Fact]
    public void Malformed_provisioning_key_locks_transfers()
    {
        var files = new MemoryFileStore();
        var rig = new AppRig(files, null, config: new FirmwareConfig { ProvisionKeyHex = "abc", MaxModelSize = FlashHarness.MaxModelSize });
        rig.App.Boot();
        Assert.Contains(rig.Lines(), l => l.StartsWith("KEY unreadable"));
        Assert.True(rig.App.Receiver.Locked);
        Assert.Null(files.Get("flash.key"));
    }
}
