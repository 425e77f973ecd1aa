using System.Buffers.Binary;
using System.Device.I2c;
using Iot.Device.Ads1115;

namespace Embedded.Edge.Simulation;

/// <summary>
/// An ADS1115 as its datasheet describes it: a pointer register selects one of four 16-bit registers,
/// config powers on as 0x8583, writing OS = 1 in single-shot mode starts a conversion during which OS
/// reads 0 (for <see cref="ConversionPolls"/> config reads), the result is the selected input voltage
/// scaled by the PGA range and clipped to 0x8000..0x7FFF. Continuous mode converts on every result read.
/// </summary>
public sealed class SimulatedAds1115 : SimulatedI2cDevice
{
    /// <summary>ADDR to GND.</summary>
    public const int DefaultI2cAddress = 0x48;

    private readonly double[] _inputs = new double[4];
    private readonly ushort[] _registers = new ushort[4];
    private byte _pointer;
    private int _busyPollsLeft;
    private bool _converting;

    public SimulatedAds1115(int busId = 1, int address = DefaultI2cAddress)
        : base(new I2cConnectionSettings(busId, address))
    {
        PowerOn();
    }

    /// <summary>How many config reads report "busy" after a conversion starts.</summary>
    public int ConversionPolls { get; set; } = 2;

    /// <summary>When set, a started conversion never finishes (OS stays 0).</summary>
    public bool StuckBusy { get; set; }

    /// <summary>Number of conversions completed.</summary>
    public int ConversionCount { get; private set; }

    /// <summary>Sets the voltage on AINx against GND.</summary>
    public void SetInput(int channel, double volts)
    {
        lock (Sync) _inputs[channel] = volts;
    }

    /// <summary>Register value as the chip holds it, for tests.</summary>
    public ushort PeekRegister(Ads1115Register register)
    {
        lock (Sync) return _registers[(int)register];
    }

    /// <summary>General-call reset (address 0x00, byte 0x06) restores the power-on state.</summary>
    public void GeneralCallReset()
    {
        lock (Sync) PowerOn();
    }

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return;
        _pointer = (byte)(data[0] & 3);
        if (data.Length < 3) return; // pointer-only write sets up a following read
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(1, 2));
        switch ((Ads1115Register)_pointer)
        {
            case Ads1115Register.Conversion:
                return; // read-only
            case Ads1115Register.Config:
                WriteConfig(value);
                return;
            default:
                _registers[_pointer] = value;
                return;
        }
    }

    protected override void OnRead(Span<byte> data)
    {
        ushort value;
        switch ((Ads1115Register)_pointer)
        {
            case Ads1115Register.Config:
                value = ReadConfig();
                break;
            case Ads1115Register.Conversion:
                if ((_registers[1] & Ads1115Config.SingleShotMode) == 0) Convert(); // continuous mode
                value = _registers[0];
                break;
            default:
                value = _registers[_pointer];
                break;
        }

        // A read longer than two bytes repeats the register (the pointer does not advance on this chip).
        for (int i = 0; i < data.Length; i++) data[i] = (i & 1) == 0 ? (byte)(value >> 8) : (byte)value;
    }

    protected override void OnPowerCycle() => PowerOn();

    private void PowerOn()
    {
        Array.Clear(_registers);
        _registers[(int)Ads1115Register.Config] = Ads1115Config.PowerOnValue;
        _registers[(int)Ads1115Register.LowThreshold] = 0x8000;
        _registers[(int)Ads1115Register.HighThreshold] = 0x7FFF;
        _pointer = 0;
        _converting = false;
    }

    private void WriteConfig(ushort value)
    {
        bool start = (value & Ads1115Config.OperationalStatus) != 0;
        // OS is not stored: it reflects the conversion state.
        _registers[1] = (ushort)(value & ~Ads1115Config.OperationalStatus);
        if (start && (value & Ads1115Config.SingleShotMode) != 0 && !_converting)
        {
            _converting = true;
            _busyPollsLeft = ConversionPolls;
        }
    }

    private ushort ReadConfig()
    {
        if (_converting && !StuckBusy)
        {
            if (_busyPollsLeft <= 0)
            {
                Convert();
                _converting = false;
            }
            else
            {
                _busyPollsLeft--;
            }
        }

        bool idle = !_converting;
        return (ushort)(_registers[1] | (idle ? Ads1115Config.OperationalStatus : 0));
    }

    private void Convert()
    {
        ushort config = _registers[1];
        double volts = Ads1115Config.Multiplexer(config) switch
        {
            InputMultiplexer.AIN0_AIN1 => _inputs[0] - _inputs[1],
            InputMultiplexer.AIN0_AIN3 => _inputs[0] - _inputs[3],
            InputMultiplexer.AIN1_AIN3 => _inputs[1] - _inputs[3],
            InputMultiplexer.AIN2_AIN3 => _inputs[2] - _inputs[3],
            InputMultiplexer.AIN0 => _inputs[0],
            InputMultiplexer.AIN1 => _inputs[1],
            InputMultiplexer.AIN2 => _inputs[2],
            _ => _inputs[3],
        };
        double code = Math.Round(volts / Ads1115Config.FullScaleVolts(Ads1115Config.Range(config)) * 32768.0);
        short result = code >= 32767 ? short.MaxValue : code <= -32768 ? short.MinValue : (short)code;
        _registers[0] = unchecked((ushort)result);
        ConversionCount++;
    }
}
