using System.Device.I2c;

namespace Embedded.Edge.Simulation;

/// <summary>
/// Base of the simulated chips: an <see cref="I2cDevice"/> that fails the way the Linux i2c-dev driver
/// does (IOException) when a fault is injected, and otherwise hands each transfer to the chip model.
/// Thread-safe: tests change the chip's physical inputs while the app samples it.
/// </summary>
public abstract class SimulatedI2cDevice : I2cDevice
{
    private readonly I2cConnectionSettings _settings;
    private int _transfersUntilFault = -1;
    private I2cFault _faultWhenCountdownEnds = I2cFault.Nack;

    protected SimulatedI2cDevice(I2cConnectionSettings settings)
    {
        _settings = settings;
    }

    /// <summary>Guards the chip's registers; subclasses take it when tests poke physical inputs.</summary>
    protected object Sync { get; } = new();

    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <summary>The fault every transfer produces from now on.</summary>
    public I2cFault Fault { get; set; }

    /// <summary>How long a <see cref="I2cFault.Timeout"/> transfer blocks before it fails.</summary>
    public TimeSpan TimeoutDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Extra time every transfer takes (a slow bus or clock stretching).</summary>
    public TimeSpan TransferDelay { get; set; }

    /// <summary>Number of transfers the chip has answered (faulted ones excluded).</summary>
    public int TransferCount { get; private set; }

    /// <summary>Lets <paramref name="transfers"/> more transfers succeed, then switches to <paramref name="fault"/>.</summary>
    public void FailAfter(int transfers, I2cFault fault = I2cFault.Nack)
    {
        lock (Sync)
        {
            _transfersUntilFault = transfers;
            _faultWhenCountdownEnds = fault;
        }
    }

    /// <summary>
    /// The next <paramref name="transfers"/> transfers fail with <paramref name="fault"/>, then the chip answers
    /// again; with <paramref name="powerCycle"/> it comes back in its power-on state (a brown-out).
    /// </summary>
    public void FailFor(int transfers, I2cFault fault = I2cFault.Nack, bool powerCycle = false)
    {
        lock (Sync)
        {
            _failingTransfersLeft = transfers;
            _temporaryFault = fault;
            _powerCycleAfterFailure = powerCycle;
        }
    }

    /// <summary>Restores the power-on register state.</summary>
    protected virtual void OnPowerCycle()
    {
    }

    private int _failingTransfersLeft;
    private I2cFault _temporaryFault;
    private bool _powerCycleAfterFailure;

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void WriteByte(byte value)
    {
        Span<byte> one = stackalloc byte[1];
        one[0] = value;
        Write(one);
    }

    public override void Read(Span<byte> buffer)
    {
        lock (Sync)
        {
            BeginTransfer();
            OnRead(buffer);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (Sync)
        {
            BeginTransfer();
            OnWrite(buffer);
        }
    }

    /// <summary>A write then a read with a repeated start: one transfer, so one fault check.</summary>
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        lock (Sync)
        {
            BeginTransfer();
            OnWrite(writeBuffer);
            OnRead(readBuffer);
        }
    }

    /// <summary>Bytes the controller wrote (the first one is usually a register address).</summary>
    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    /// <summary>Bytes the controller reads, starting at the chip's current register pointer.</summary>
    protected abstract void OnRead(Span<byte> data);

    private void BeginTransfer()
    {
        if (TransferDelay > TimeSpan.Zero) Thread.Sleep(TransferDelay);
        if (_failingTransfersLeft > 0)
        {
            _failingTransfersLeft--;
            if (_failingTransfersLeft == 0 && _powerCycleAfterFailure) OnPowerCycle();
            Fail(_temporaryFault);
        }

        if (_transfersUntilFault == 0)
        {
            Fault = _faultWhenCountdownEnds;
            _transfersUntilFault = -1;
        }
        else if (_transfersUntilFault > 0)
        {
            _transfersUntilFault--;
        }

        Fail(Fault);
        TransferCount++;
    }

    private void Fail(I2cFault fault)
    {
        switch (fault)
        {
            case I2cFault.Nack:
                throw new IOException($"Error 6 performing I2C data transfer: no acknowledge from address 0x{_settings.DeviceAddress:X2} on bus {_settings.BusId}.");
            case I2cFault.Timeout:
                Thread.Sleep(TimeoutDelay);
                throw new IOException($"Error 110 performing I2C data transfer: connection timed out at address 0x{_settings.DeviceAddress:X2} on bus {_settings.BusId}.");
        }
    }
}
