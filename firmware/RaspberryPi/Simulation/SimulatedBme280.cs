using System.Device.I2c;

namespace Embedded.Edge.Simulation;

/// <summary>
/// A BME280 as its datasheet describes it: chip id 0x60, trim parameters in 0x88..0xA1 and 0xE1..0xE7,
/// data registers at their reset values (0x80000 / 0x8000) until a measurement runs, soft reset via 0xB6
/// with im_update set while the NVM is copied, ctrl_hum latched only by a ctrl_meas write, forced mode
/// raising status.measuring for <see cref="MeasurementPolls"/> status reads (or until the data registers are
/// read, for a controller that waits the measurement time instead of polling) and then returning to sleep,
/// skipped oversampling leaving the skip value. The ADC outputs are set directly as raw codes.
/// </summary>
public sealed class SimulatedBme280 : RegisterFileChip
{
    /// <summary>SDO to GND (the address the app uses by default).</summary>
    public const int DefaultI2cAddress = 0x76;

    /// <summary>SDO to VDDIO.</summary>
    public const int SecondaryI2cAddress = 0x77;

    /// <summary>Trim values of the datasheet's worked example (T and P) plus typical humidity trim.</summary>
    public static Bme280Calibration DatasheetCalibration { get; } = new()
    {
        DigT1 = 27504, DigT2 = 26435, DigT3 = -1000,
        DigP1 = 36477, DigP2 = -10685, DigP3 = 3024, DigP4 = 2855, DigP5 = 140, DigP6 = -7, DigP7 = 15500, DigP8 = -14600, DigP9 = 6000,
        DigH1 = 75, DigH2 = 362, DigH3 = 0, DigH4 = 313, DigH5 = 50, DigH6 = 30,
    };

    private readonly byte[] _registers = new byte[256];
    private readonly Bme280Calibration _calibration;
    private int _adcT = 519888, _adcP = 415148, _adcH = 30000;
    private int _imUpdatePollsLeft;
    private int _measurePollsLeft;
    private byte _latchedHumiditySampling;

    public SimulatedBme280(Bme280Calibration? calibration = null, int busId = 1, int address = DefaultI2cAddress)
        : base(new I2cConnectionSettings(busId, address))
    {
        _calibration = calibration ?? DatasheetCalibration;
        PowerOn();
    }

    /// <summary>Status reads that show im_update after a reset.</summary>
    public int NvmCopyPolls { get; set; } = 1;

    /// <summary>Status reads that show measuring after a forced measurement starts.</summary>
    public int MeasurementPolls { get; set; } = 2;

    /// <summary>When set, a measurement never finishes (status.measuring stays 1).</summary>
    public bool StuckMeasuring { get; set; }

    public int MeasurementCount { get; private set; }

    public int ResetCount { get; private set; }

    /// <summary>Sets the ADC codes the next measurement produces (20-bit T and P, 16-bit H).</summary>
    public void SetRaw(int adcTemperature, int adcPressure, int adcHumidity)
    {
        lock (Sync)
        {
            _adcT = adcTemperature & 0xFFFFF;
            _adcP = adcPressure & 0xFFFFF;
            _adcH = adcHumidity & 0xFFFF;
        }
    }

    public byte PeekRegister(byte address)
    {
        lock (Sync) return _registers[address];
    }

    protected override void BeforeBurstRead(byte start, int length)
    {
        bool touchesData = start + length > (byte)Bme280Register.PressureMsb && start <= (byte)Bme280Register.HumidityMsb + 1;
        if (!touchesData) return;
        if ((_registers[(byte)Bme280Register.ControlMeasurement] & 3) == 3)
        {
            Measure();
        }
        else if (_measurePollsLeft > 0 && !StuckMeasuring)
        {
            // A controller that waits the measurement time instead of polling status (as Iot.Device.Bmxx80 does)
            // finds the forced measurement finished when it reads the data registers.
            _measurePollsLeft = 0;
            FinishForced();
        }
    }

    protected override byte ReadRegister(byte address)
    {
        if (address != (byte)Bme280Register.Status) return _registers[address];
        byte status = 0;
        if (_imUpdatePollsLeft > 0)
        {
            _imUpdatePollsLeft--;
            status |= Bme280Constants.StatusImUpdate;
        }

        if (_measurePollsLeft > 0 || StuckMeasuring && IsForcedPending)
        {
            if (!StuckMeasuring && --_measurePollsLeft == 0) FinishForced();
            status |= Bme280Constants.StatusMeasuring;
        }

        return status;
    }

    protected override void WriteRegister(byte address, byte value)
    {
        switch ((Bme280Register)address)
        {
            case Bme280Register.Reset:
                if (value == Bme280Constants.ResetCommand)
                {
                    ResetCount++;
                    PowerOn();
                    _imUpdatePollsLeft = NvmCopyPolls;
                }

                return;
            case Bme280Register.ControlHumidity:
                _registers[address] = (byte)(value & 0x07);
                return;
            case Bme280Register.ControlMeasurement:
                _registers[address] = value;
                _latchedHumiditySampling = _registers[(byte)Bme280Register.ControlHumidity];
                int mode = value & 3;
                if (mode == 1 || mode == 2)
                {
                    _measurePollsLeft = Math.Max(1, MeasurementPolls);
                }

                return;
            case Bme280Register.Config:
                _registers[address] = (byte)(value & 0xFD); // bit 1 is reserved
                return;
            default:
                return; // trim, id, status and data registers are read-only
        }
    }

    private bool IsForcedPending
    {
        get
        {
            int mode = _registers[(byte)Bme280Register.ControlMeasurement] & 3;
            return mode == 1 || mode == 2;
        }
    }

    private void FinishForced()
    {
        Measure();
        _registers[(byte)Bme280Register.ControlMeasurement] &= 0xFC; // back to sleep mode
    }

    private void Measure()
    {
        byte ctrlMeas = _registers[(byte)Bme280Register.ControlMeasurement];
        int osrsT = ctrlMeas >> 5, osrsP = (ctrlMeas >> 2) & 7, osrsH = _latchedHumiditySampling & 7;
        int t = osrsT == 0 ? Bme280Constants.SkippedTemperaturePressure : _adcT;
        int p = osrsP == 0 ? Bme280Constants.SkippedTemperaturePressure : _adcP;
        int h = osrsH == 0 ? Bme280Constants.SkippedHumidity : _adcH;
        Store20((byte)Bme280Register.PressureMsb, p);
        Store20((byte)Bme280Register.TemperatureMsb, t);
        _registers[(byte)Bme280Register.HumidityMsb] = (byte)(h >> 8);
        _registers[(byte)Bme280Register.HumidityMsb + 1] = (byte)h;
        MeasurementCount++;
    }

    private void Store20(byte address, int value)
    {
        _registers[address] = (byte)(value >> 12);
        _registers[address + 1] = (byte)(value >> 4);
        _registers[address + 2] = (byte)((value & 0xF) << 4);
    }

    protected override void OnPowerCycle() => PowerOn();

    private void PowerOn()
    {
        Array.Clear(_registers);
        _calibration.Encode(
            _registers.AsSpan((byte)Bme280Register.CalibrationTemperaturePressure, Bme280Constants.CalibrationTemperaturePressureLength),
            _registers.AsSpan((byte)Bme280Register.CalibrationHumidity, Bme280Constants.CalibrationHumidityLength));
        _registers[(byte)Bme280Register.ChipId] = Bme280Constants.ChipId;
        Store20((byte)Bme280Register.PressureMsb, Bme280Constants.SkippedTemperaturePressure);
        Store20((byte)Bme280Register.TemperatureMsb, Bme280Constants.SkippedTemperaturePressure);
        _registers[(byte)Bme280Register.HumidityMsb] = 0x80;
        _latchedHumiditySampling = 0;
        _measurePollsLeft = 0;
    }
}
