using Embedded.Firmware;

namespace Embedded.Firmware.Tests.Fakes;

/// <summary>An ADC channel returning scripted values; a null entry throws (a failing read).</summary>
internal sealed class FakeAdc(Func<int, int?> script) : IAnalogInput
{
    public int Reads { get; private set; }

    public int ReadRaw()
    {
        int? value = script(Reads++);
        return value ?? throw new IOException("ADC read failed");
    }
}

/// <summary>An LED that remembers every change.</summary>
internal sealed class FakeLed : IDigitalOutput
{
    public List<bool> Changes { get; } = new();
    public bool On { get; private set; }

    public void Write(bool high)
    {
        On = high;
        Changes.Add(high);
    }
}

/// <summary>
/// An MPU-6050 on a simulated I2C bus: a register file the driver reads and writes, with switchable
/// failure (no acknowledge) to exercise error handling.
/// </summary>
internal sealed class FakeMpu6050Bus : II2cDevice
{
    public byte[] Registers { get; } = new byte[128];
    public bool Failing { get; set; }
    public int Transfers { get; private set; }

    public FakeMpu6050Bus()
    {
        Registers[0x75] = 0x68; // WHO_AM_I
        Registers[0x6B] = 0x40; // asleep after reset
    }

    public void SetAccel(short x, short y, short z) { SetWord(0x3B, x); SetWord(0x3D, y); SetWord(0x3F, z); }

    public void SetGyro(short x, short y, short z) { SetWord(0x43, x); SetWord(0x45, y); SetWord(0x47, z); }

    public bool Write(byte[] data)
    {
        Transfers++;
        if (Failing) return false;
        for (int i = 1; i < data.Length; i++) Registers[data[0] + i - 1] = data[i];
        return true;
    }

    public bool WriteRead(byte[] write, byte[] read)
    {
        Transfers++;
        if (Failing) return false;
        for (int i = 0; i < read.Length; i++) read[i] = Registers[write[0] + i];
        return true;
    }

    private void SetWord(int register, short value)
    {
        Registers[register] = (byte)(value >> 8);
        Registers[register + 1] = (byte)value;
    }
}

/// <summary>Default model source returning fixed bytes (or throwing).</summary>
internal sealed class FakeEmbeddedModel(byte[]? image) : IEmbeddedModel
{
    public byte[] Load() => image ?? throw new IOException("resource missing");
}

/// <summary>
/// Runner for app tests that do not need the real integer runtime: forecasts the last input and flags an
/// anomaly when an input exceeds <see cref="Threshold"/> (in InputFracBits fixed point).
/// </summary>
internal sealed class FakeRunner(int inputCount, int periodMs) : IModelRunner
{
    public int Threshold { get; set; } = int.MaxValue;
    public int Steps { get; private set; }
    public bool ThrowOnStep { get; set; }
    public int InputCount => inputCount;
    public int InputFracBits => 16;
    public int OutputFracBits => 16;
    public int SamplePeriodMs => periodMs;
    public bool RunsOnSensors => true;
    public bool IsAnomaly { get; private set; }
    public int LastForecast { get; private set; }
    public List<int[]> Inputs { get; } = new();

    public int Process(int[] input)
    {
        if (ThrowOnStep) throw new InvalidOperationException("step failed");
        Steps++;
        Inputs.Add((int[])input.Clone());
        IsAnomaly = input[0] > Threshold;
        LastForecast = input[0];
        return IsAnomaly ? 1 << 16 : 0;
    }

    public void Reset() => Steps = 0;
}

/// <summary>Builds single-input <see cref="FakeRunner"/>s and remembers the images it was given.</summary>
internal sealed class FakeRunnerFactory : IModelRunnerFactory
{
    public List<byte[]> Created { get; } = new();
    public FakeRunner? Last { get; private set; }
    public int Threshold { get; set; } = int.MaxValue;
    public int PeriodMs { get; set; } = 20;

    public IModelRunner Create(byte[] image)
    {
        Created.Add(image);
        Last = new FakeRunner(1, PeriodMs) { Threshold = Threshold };
        return Last;
    }
}
