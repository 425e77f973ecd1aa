using System.Device.I2c;
using System.Numerics;
using Iot.Device.Imu;

namespace Embedded.Edge.Sensors;

/// <summary>
/// The app's view of an MPU-6050 on top of dotnet/iot's <see cref="Iot.Device.Imu.Mpu6050"/> (not a fork): the binding
/// resets, wakes and configures the chip (±2 g, ±250 °/s) and reads it; this wrapper adds what the app needs and the
/// binding lacks: acceleration in g (the binding returns m/s² with g = 9.807), the MPU-6050's temperature formula
/// (the binding applies the MPU-9250's), and noticing a chip that reset or browned out without a failed transfer
/// (it comes back asleep; the binding keeps reading its frozen registers), so the source re-creates the binding.
/// </summary>
public sealed class Mpu6050Sensor : IDisposable
{
    /// <summary>AD0 low; 0x69 with AD0 high.</summary>
    public const int DefaultI2cAddress = Iot.Device.Imu.Mpu6050.DefaultI2cAddress;

    /// <summary>The standard gravity the binding multiplies by.</summary>
    private const double BindingGravity = 9.807;
    private const byte PowerManagement1 = 0x6B;
    private const byte SleepBit = 0x40;

    private readonly I2cDevice _bus;

    /// <summary>Creates the binding on <paramref name="bus"/> (it resets and probes the chip: IOException if it is not an MPU-6050).</summary>
    public Mpu6050Sensor(I2cDevice bus)
    {
        _bus = bus;
        Binding = new Iot.Device.Imu.Mpu6050(bus);
    }

    /// <summary>The dotnet/iot binding underneath (ranges, bandwidths, FIFO).</summary>
    public Iot.Device.Imu.Mpu6050 Binding { get; }

    /// <summary>Reads acceleration (g), rates (°/s) and die temperature (°C); IOException if the chip fails or was reset.</summary>
    public Mpu6050Reading Read()
    {
        EnsureAwake();
        Vector3 a = Binding.GetAccelerometer();
        Vector3 g = Binding.GetGyroscopeReading();
        double t = DieTemperature(Binding.GetTemperature().DegreesCelsius);
        return new Mpu6050Reading(a.X / BindingGravity, a.Y / BindingGravity, a.Z / BindingGravity, g.X, g.Y, g.Z, t);
    }

    /// <summary>
    /// The binding computes (TEMP_OUT − 21) / 333.87 + 21 (MPU-9250); the MPU-6050 register map says TEMP_OUT / 340 + 36.53.
    /// The binding's value is converted back to the register code (exact after rounding) and the MPU-6050 formula applied.
    /// </summary>
    public static double DieTemperature(double bindingCelsius)
    {
        double raw = Math.Round((bindingCelsius - 21.0) * 333.87 + 21.0);
        return raw / 340.0 + 36.53;
    }

    public void Dispose() => Binding.Dispose();

    private void EnsureAwake()
    {
        Span<byte> register = [PowerManagement1];
        Span<byte> value = stackalloc byte[1];
        _bus.WriteRead(register, value);
        if ((value[0] & SleepBit) != 0)
            throw new IOException($"MPU-6050 at 0x{_bus.ConnectionSettings.DeviceAddress:X2} is asleep (reset or brown-out); re-initialising.");
    }
}

/// <summary>One MPU-6050 sample: acceleration in g, rates in °/s, die temperature in °C.</summary>
public readonly record struct Mpu6050Reading(
    double AccelerationX, double AccelerationY, double AccelerationZ,
    double GyroX, double GyroY, double GyroZ,
    double TemperatureCelsius);
