using System.Device.I2c;

namespace Embedded.Edge.Simulation;

/// <summary>
/// A chip with 8-bit registers behind an address pointer that auto-increments on every byte read or
/// written (MPU-6050, BME280): the first byte of a write sets the pointer, further bytes are stored
/// at consecutive addresses.
/// </summary>
public abstract class RegisterFileChip : SimulatedI2cDevice
{
    private byte _pointer;

    protected RegisterFileChip(I2cConnectionSettings settings)
        : base(settings)
    {
    }

    protected sealed override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return;
        _pointer = data[0];
        for (int i = 1; i < data.Length; i++)
        {
            WriteRegister(_pointer, data[i]);
            _pointer = NextAddress(_pointer);
        }
    }

    protected sealed override void OnRead(Span<byte> data)
    {
        BeforeBurstRead(_pointer, data.Length);
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = ReadRegister(_pointer);
            _pointer = NextAddress(_pointer);
        }
    }

    /// <summary>The address after <paramref name="address"/> (wraps at 0xFF unless the chip says otherwise).</summary>
    protected virtual byte NextAddress(byte address) => unchecked((byte)(address + 1));

    /// <summary>Called once before a read burst so the chip can latch a consistent set of data registers.</summary>
    protected virtual void BeforeBurstRead(byte start, int length)
    {
    }

    protected abstract byte ReadRegister(byte address);

    protected abstract void WriteRegister(byte address, byte value);
}
