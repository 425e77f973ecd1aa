using System.Device.Gpio;
using Embedded.Edge.Engine;
using Embedded.Edge.Sources;

namespace Embedded.Edge.Actions;

/// <summary>
/// Drives a GPIO output (LED, buzzer, relay) active when an anomaly is detected and keeps it active
/// for <c>hold</c> after the last anomalous sample; a timer releases it even if samples stop arriving.
/// The pin is left inactive on dispose.
/// </summary>
public sealed class GpioAlarm : ISampleSink
{
    private readonly GpioController _controller;
    private readonly bool _ownsController;
    private readonly int _pin;
    private readonly PinValue _active;
    private readonly PinValue _inactive;
    private readonly TimeSpan _hold;
    private readonly Timer _release;
    private readonly object _sync = new();
    private bool _isActive;
    private long _releaseAt;

    public GpioAlarm(GpioController controller, int pin, TimeSpan hold, bool activeLow = false, bool ownsController = true)
    {
        _controller = controller;
        _ownsController = ownsController;
        _pin = pin;
        _hold = hold;
        _active = activeLow ? PinValue.Low : PinValue.High;
        _inactive = activeLow ? PinValue.High : PinValue.Low;
        _controller.OpenPin(pin, PinMode.Output, _inactive);
        _release = new Timer(_ => ReleaseIfDue(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Number of times the output went active.</summary>
    public int Activations { get; private set; }

    public bool IsActive
    {
        get
        {
            lock (_sync) return _isActive;
        }
    }

    public void OnSample(Sample sample, in StepResult result)
    {
        // The pin follows the abnormal state (and an alarm), held for at least the hold time after it.
        if (!result.IsAnomaly && !result.IsAlarm) return;
        lock (_sync)
        {
            _releaseAt = Environment.TickCount64 + (long)_hold.TotalMilliseconds;
            if (!_isActive)
            {
                _controller.Write(_pin, _active);
                _isActive = true;
                Activations++;
            }

            _release.Change(_hold, Timeout.InfiniteTimeSpan);
        }
    }

    public void Flush()
    {
    }

    public ValueTask DisposeAsync()
    {
        lock (_sync)
        {
            _release.Dispose();
            if (_controller.IsPinOpen(_pin))
            {
                _controller.Write(_pin, _inactive);
                _controller.ClosePin(_pin);
            }

            _isActive = false;
        }

        if (_ownsController) _controller.Dispose();
        return ValueTask.CompletedTask;
    }

    private void ReleaseIfDue()
    {
        lock (_sync)
        {
            if (!_isActive) return;
            long left = _releaseAt - Environment.TickCount64;
            if (left > 0)
            {
                _release.Change(TimeSpan.FromMilliseconds(left), Timeout.InfiniteTimeSpan);
                return;
            }

            _controller.Write(_pin, _inactive);
            _isActive = false;
        }
    }
}
