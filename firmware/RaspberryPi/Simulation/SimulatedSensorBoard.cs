using System.Device.I2c;

namespace Embedded.Edge.Simulation;

/// <summary>
/// The bench for <c>--simulate</c>: simulated chips at their default addresses on every bus, driven by
/// slow sine waves with a little deterministic noise and, every <see cref="AnomalyEverySeconds"/>, a
/// one-second disturbance, so the detector has something to find.
/// </summary>
public sealed class SimulatedSensorBoard
{
    private readonly Dictionary<(int Bus, int Address), SimulatedI2cDevice> _chips = new();
    private readonly Random _noise = new(12345);

    public double AnomalyEverySeconds { get; set; } = 60;

    /// <summary>Opens a chip by address like I2cDevice.Create would; the chip type follows from the address.</summary>
    public I2cDevice Open(int bus, int address)
    {
        lock (_chips)
        {
            if (!_chips.TryGetValue((bus, address), out SimulatedI2cDevice? chip))
            {
                chip = address switch
                {
                    SimulatedMpu6050.DefaultI2cAddress or SimulatedMpu6050.SecondaryI2cAddress => new SimulatedMpu6050(bus, address),
                    >= SimulatedAds1115.DefaultI2cAddress and <= 0x4B => new SimulatedAds1115(bus, address),
                    SimulatedBme280.DefaultI2cAddress or SimulatedBme280.SecondaryI2cAddress => new SimulatedBme280(busId: bus, address: address),
                    SimulatedSht3x.DefaultI2cAddress or 0x45 => new SimulatedSht3x(bus, address),
                    _ => throw new IOException($"simulated bus {bus}: nothing answers at 0x{address:X2}."),
                };
                _chips[(bus, address)] = chip;
            }

            return new SharedChipHandle(chip);
        }
    }

    /// <summary>Moves every chip's physical inputs to time <paramref name="seconds"/>.</summary>
    public void Advance(double seconds)
    {
        bool disturbed = AnomalyEverySeconds > 0 && seconds > 5 && seconds % AnomalyEverySeconds < 1.0;
        double wave = Math.Sin(2 * Math.PI * seconds / 10.0);
        double n = (_noise.NextDouble() - 0.5) * 0.01;
        lock (_chips)
        {
            foreach (SimulatedI2cDevice chip in _chips.Values)
            {
                switch (chip)
                {
                    case SimulatedMpu6050 imu:
                        imu.SetMotion(0.02 * wave + n, -0.01 * wave, (disturbed ? 1.6 : 1.0) + 0.05 * wave + n, 2 * wave, disturbed ? 180 : 0, 0, 30 + wave);
                        break;
                    case SimulatedAds1115 adc:
                        for (int ch = 0; ch < 4; ch++) adc.SetInput(ch, 1.65 + 0.5 * Math.Sin(2 * Math.PI * seconds / (10.0 + ch)) + n + (disturbed ? 1.0 : 0));
                        break;
                    case SimulatedSht3x sht:
                        sht.SetClimate(22.5 + wave + (disturbed ? 8 : 0), 40 + 5 * wave);
                        break;
                    case SimulatedBme280 bme:
                        bme.SetRaw(519888 + (int)(2000 * wave) + (disturbed ? 30000 : 0), 415148 + (int)(500 * wave), 30000 + (int)(1000 * wave));
                        break;
                }
            }
        }
    }

    /// <summary>A handle the app may dispose (drivers dispose their bus) without the simulated chip losing its state.</summary>
    private sealed class SharedChipHandle : I2cDevice
    {
        private readonly SimulatedI2cDevice _chip;

        public SharedChipHandle(SimulatedI2cDevice chip) => _chip = chip;

        public override I2cConnectionSettings ConnectionSettings => _chip.ConnectionSettings;
        public override byte ReadByte() => _chip.ReadByte();
        public override void Read(Span<byte> buffer) => _chip.Read(buffer);
        public override void WriteByte(byte value) => _chip.WriteByte(value);
        public override void Write(ReadOnlySpan<byte> buffer) => _chip.Write(buffer);
        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => _chip.WriteRead(writeBuffer, readBuffer);
    }
}
