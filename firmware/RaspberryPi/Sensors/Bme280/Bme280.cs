using Embedded.Edge.Sensors.Common;
using System.Device.I2c;

namespace Embedded.Edge.Sensors.Bmxx80;

/// <summary>
/// Bosch BME280 humidity / pressure / temperature sensor on I2C, driven in forced mode: each
/// <see cref="Read"/> writes ctrl_hum then ctrl_meas (ctrl_hum only takes effect after a ctrl_meas
/// write), waits for status.measuring to clear and burst-reads the eight data bytes.
/// </summary>
public sealed class Bme280 : IDisposable
{
    /// <summary>SDO tied to GND.</summary>
    public const int DefaultI2cAddress = 0x76;

    /// <summary>SDO tied to VDDIO.</summary>
    public const int SecondaryI2cAddress = 0x77;

    private readonly bool _shouldDispose;
    private I2cDevice? _device;

    public Bme280(I2cDevice device, bool shouldDispose = true)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _shouldDispose = shouldDispose;
        byte id = ReadRegister(Bme280Register.ChipId);
        if (id != Bme280Constants.ChipId)
            throw new IOException($"BME280 at 0x{device.ConnectionSettings.DeviceAddress:X2}: chip id is 0x{id:X2}, expected 0x{Bme280Constants.ChipId:X2}.");
        Reset();
    }

    public Sampling TemperatureSampling { get; set; } = Sampling.UltraLowPower;

    public Sampling PressureSampling { get; set; } = Sampling.UltraLowPower;

    public Sampling HumiditySampling { get; set; } = Sampling.UltraLowPower;

    public FilteringMode Filter { get; set; } = FilteringMode.Off;

    /// <summary>Trim parameters read after the last reset.</summary>
    public Bme280Calibration Calibration { get; private set; } = new();

    /// <summary>How many status polls a measurement or NVM copy may take before the chip counts as not answering.</summary>
    public int MaxPolls { get; set; } = 100;

    /// <summary>Soft reset (0xB6 to 0xE0), waits for the NVM copy (im_update) to finish, reads the trim.</summary>
    public void Reset()
    {
        WriteRegister(Bme280Register.Reset, Bme280Constants.ResetCommand);
        WaitWhile(Bme280Constants.StatusImUpdate, "NVM copy (im_update)");
        Span<byte> tp = stackalloc byte[Bme280Constants.CalibrationTemperaturePressureLength];
        Span<byte> h = stackalloc byte[Bme280Constants.CalibrationHumidityLength];
        ReadBurst(Bme280Register.CalibrationTemperaturePressure, tp);
        ReadBurst(Bme280Register.CalibrationHumidity, h);
        Calibration = Bme280Calibration.Parse(tp, h);
    }

    /// <summary>One forced-mode measurement, compensated with the datasheet's integer formulas.</summary>
    public Bme280Reading Read()
    {
        WriteRegister(Bme280Register.Config, (byte)((int)Filter << 2));
        WriteRegister(Bme280Register.ControlHumidity, (byte)HumiditySampling);
        WriteRegister(Bme280Register.ControlMeasurement, (byte)(((int)TemperatureSampling << 5) | ((int)PressureSampling << 2) | (int)PowerMode.Forced));
        WaitWhile(Bme280Constants.StatusMeasuring, "measurement");

        Span<byte> data = stackalloc byte[Bme280Constants.DataLength];
        ReadBurst(Bme280Register.PressureMsb, data);
        int adcP = (data[0] << 12) | (data[1] << 4) | (data[2] >> 4);
        int adcT = (data[3] << 12) | (data[4] << 4) | (data[5] >> 4);
        int adcH = (data[6] << 8) | data[7];

        if (TemperatureSampling == Sampling.Skipped || adcT == Bme280Constants.SkippedTemperaturePressure)
            return new Bme280Reading(double.NaN, double.NaN, double.NaN); // P and H need t_fine
        int centi = Bme280Compensation.Temperature(Calibration, adcT, out int tFine);
        double pressure = PressureSampling == Sampling.Skipped || adcP == Bme280Constants.SkippedTemperaturePressure
            ? double.NaN
            : Bme280Compensation.Pressure(Calibration, adcP, tFine) / 256.0;
        double humidity = HumiditySampling == Sampling.Skipped || adcH == Bme280Constants.SkippedHumidity
            ? double.NaN
            : Bme280Compensation.Humidity(Calibration, adcH, tFine) / 1024.0;
        return new Bme280Reading(centi / 100.0, pressure, humidity);
    }

    /// <summary>The status register (measuring, im_update).</summary>
    public byte ReadStatus() => ReadRegister(Bme280Register.Status);

    public void Dispose()
    {
        if (_shouldDispose) _device?.Dispose();
        _device = null;
    }

    private I2cDevice Device => _device ?? throw new ObjectDisposedException(nameof(Bme280));

    private void WaitWhile(byte statusBit, string what)
    {
        for (int poll = 0; ; poll++)
        {
            if ((ReadRegister(Bme280Register.Status) & statusBit) == 0) return;
            if (poll >= MaxPolls)
                throw new IOException($"BME280 at 0x{Device.ConnectionSettings.DeviceAddress:X2}: {what} did not finish after {MaxPolls} polls.");
            Thread.Sleep(1);
        }
    }

    private byte ReadRegister(Bme280Register register) => Device.ReadByte((byte)register);

    private void ReadBurst(Bme280Register start, Span<byte> buffer) => Device.ReadBurst((byte)start, buffer);

    private void WriteRegister(Bme280Register register, byte value) => Device.WriteByte((byte)register, value);
}
