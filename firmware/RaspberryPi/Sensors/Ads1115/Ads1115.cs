using System.Buffers.Binary;
using System.Device.I2c;

namespace Embedded.Edge.Sensors.Adc;

/// <summary>
/// TI ADS1115 16-bit delta-sigma ADC on I2C, used in single-shot mode: each reading writes the config
/// register with OS = 1, polls OS until the conversion is done, then reads the two's-complement result.
/// </summary>
public sealed class Ads1115 : IDisposable
{
    /// <summary>ADDR pin tied to GND.</summary>
    public const int DefaultI2cAddress = 0x48;

    private readonly bool _shouldDispose;
    private I2cDevice? _device;

    public Ads1115(I2cDevice device, InputMultiplexer multiplexer = InputMultiplexer.Ain0, MeasuringRange range = MeasuringRange.FS4096,
        DataRate rate = DataRate.SPS860, bool shouldDispose = true)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _shouldDispose = shouldDispose;
        Multiplexer = multiplexer;
        Range = range;
        Rate = rate;
        // Leave the chip powered down with our settings (OS = 0: no conversion yet).
        WriteRegister(Ads1115Register.Config, Ads1115Config.Compose(multiplexer, range, rate, singleShot: true, start: false));
    }

    public InputMultiplexer Multiplexer { get; set; }

    public MeasuringRange Range { get; set; }

    public DataRate Rate { get; set; }

    /// <summary>How many times a conversion is polled before the reading fails (the chip "stopped answering").</summary>
    public int MaxPolls { get; set; } = 200;

    /// <summary>Starts one conversion of <see cref="Multiplexer"/> and returns the signed 16-bit code.</summary>
    public short ReadRaw() => ReadRaw(Multiplexer);

    /// <summary>Starts one conversion of the given inputs and returns the signed 16-bit code.</summary>
    public short ReadRaw(InputMultiplexer multiplexer)
    {
        WriteRegister(Ads1115Register.Config, Ads1115Config.Compose(multiplexer, Range, Rate, singleShot: true, start: true));
        // One conversion takes 1/DR (plus ~10% oscillator tolerance); poll a few times per period.
        int sleepMs = Math.Max(1, 1000 / Ads1115Config.SamplesPerSecond(Rate) / 4);
        for (int poll = 0; ; poll++)
        {
            if ((ReadRegister(Ads1115Register.Config) & Ads1115Config.OperationalStatus) != 0) break;
            if (poll >= MaxPolls)
                throw new IOException($"ADS1115 at 0x{Device.ConnectionSettings.DeviceAddress:X2}: conversion still busy after {MaxPolls} polls.");
            if (poll > 0) Thread.Sleep(sleepMs);
        }

        return unchecked((short)ReadRegister(Ads1115Register.Conversion));
    }

    /// <summary>One conversion in volts: code × full scale / 32768.</summary>
    public double ReadVoltage() => ReadVoltage(Multiplexer);

    public double ReadVoltage(InputMultiplexer multiplexer) => ToVolts(ReadRaw(multiplexer), Range);

    public static double ToVolts(short code, MeasuringRange range) => code * Ads1115Config.FullScaleVolts(range) / 32768.0;

    /// <summary>The config register as the chip reports it.</summary>
    public ushort ReadConfig() => ReadRegister(Ads1115Register.Config);

    public void Dispose()
    {
        if (_shouldDispose) _device?.Dispose();
        _device = null;
    }

    private I2cDevice Device => _device ?? throw new ObjectDisposedException(nameof(Ads1115));

    private ushort ReadRegister(Ads1115Register register)
    {
        Span<byte> pointer = stackalloc byte[] { (byte)register };
        Span<byte> value = stackalloc byte[2];
        Device.WriteRead(pointer, value);
        return BinaryPrimitives.ReadUInt16BigEndian(value);
    }

    private void WriteRegister(Ads1115Register register, ushort value)
    {
        Span<byte> data = stackalloc byte[] { (byte)register, (byte)(value >> 8), (byte)value };
        Device.Write(data);
    }
}
