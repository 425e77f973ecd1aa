using System.Device.Gpio;

namespace Embedded.Edge.Simulation;

/// <summary>
/// A GpioDriver with no hardware behind it that records every pin write, so the real GpioController
/// can be used in tests and in <c>--simulate</c>.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly object _sync = new();
    private readonly Dictionary<int, PinMode> _modes = new();
    private readonly Dictionary<int, PinValue> _values = new();
    private readonly List<(int Pin, PinValue Value)> _writes = new();

    public SimulatedGpioDriver(int pinCount = 28) => PinCount = pinCount;

    protected override int PinCount { get; }

    /// <summary>Every write in order.</summary>
    public IReadOnlyList<(int Pin, PinValue Value)> Writes
    {
        get
        {
            lock (_sync) return _writes.ToArray();
        }
    }

    /// <summary>Raised after each write (tests wait on it instead of sleeping).</summary>
    public event Action<int, PinValue>? PinWritten;

    public PinValue Peek(int pin)
    {
        lock (_sync) return _values.TryGetValue(pin, out PinValue v) ? v : PinValue.Low;
    }

    public bool IsOpen(int pin)
    {
        lock (_sync) return _modes.ContainsKey(pin);
    }

    protected override void OpenPin(int pinNumber)
    {
        CheckPin(pinNumber);
        lock (_sync) _modes[pinNumber] = PinMode.Input;
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_sync) _modes.Remove(pinNumber);
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_sync) _modes[pinNumber] = mode;
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_sync) return _modes.TryGetValue(pinNumber, out PinMode m) ? m : PinMode.Input;
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    protected override PinValue Read(int pinNumber) => Peek(pinNumber);

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_sync)
        {
            if (!_modes.TryGetValue(pinNumber, out PinMode mode) || mode != PinMode.Output)
                throw new InvalidOperationException($"simulated GPIO {pinNumber} is not an open output.");
            _values[pinNumber] = value;
            _writes.Add((pinNumber, value));
        }

        PinWritten?.Invoke(pinNumber, value);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        cancellationToken.WaitHandle.WaitOne();
        return new WaitForEventResult { TimedOut = true, EventTypes = PinEventTypes.None };
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
    }

    private void CheckPin(int pinNumber)
    {
        if (pinNumber < 0 || pinNumber >= PinCount) throw new ArgumentOutOfRangeException(nameof(pinNumber), pinNumber, $"simulated GPIO chip has pins 0..{PinCount - 1}.");
    }
}
