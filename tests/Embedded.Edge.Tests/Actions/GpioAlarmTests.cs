using System.Device.Gpio;
using Embedded.Edge.Actions;
using Embedded.Edge.Engine;
using Embedded.Edge.Hosting;
using Embedded.Edge.Simulation;
using Embedded.Edge.Sources;
using Embedded.Edge.Tests.Support;

namespace Embedded.Edge.Tests.Actions;

public class GpioAlarmTests
{
    private static StepResult Result(bool anomaly) => new(true, [0.0], [0], anomaly ? 1 : 0, anomaly ? 65536 : 0, anomaly, anomaly);

    [Fact]
    public async Task InjectedAnomalyRaisesThePinThroughTheRealGpioController()
    {
        var driver = new SimulatedGpioDriver();
        var engine = new ThresholdEngine(threshold: 100);
        var source = new ListSource(1, [1.0], [2.0], [500.0], [3.0]);
        var log = new ListLog();
        var alarm = new GpioAlarm(new GpioController(driver), pin: 17, hold: TimeSpan.FromMinutes(5));
        var loop = new EdgeLoop(source, new EngineHolder(engine), [alarm], new EdgeCounters(), log.Log);
        await loop.RunAsync(CancellationToken.None);

        Assert.Equal(4, engine.Steps);
        Assert.Equal(PinValue.High, driver.Peek(17));
        Assert.Equal(1, alarm.Activations);
        Assert.Equal([(17, PinValue.Low), (17, PinValue.High)], driver.Writes);
        await alarm.DisposeAsync();
        Assert.Equal(PinValue.Low, driver.Peek(17)); // released on shutdown
        Assert.False(driver.IsOpen(17));
    }

    [Fact]
    public async Task OutputIsReleasedAfterTheHoldTime()
    {
        var driver = new SimulatedGpioDriver();
        var released = new ManualResetEventSlim();
        driver.PinWritten += (pin, value) =>
        {
            if (value == PinValue.Low && driver.Writes.Count > 2) released.Set();
        };
        await using var alarm = new GpioAlarm(new GpioController(driver), pin: 5, hold: TimeSpan.FromMilliseconds(50));
        var sample = new Sample("0", [0.0]);
        alarm.OnSample(sample, Result(true));
        Assert.True(alarm.IsActive);
        Assert.True(released.Wait(TimeSpan.FromSeconds(10)), "the hold timer never released the pin");
        Assert.False(alarm.IsActive);
        Assert.Equal([PinValue.Low, PinValue.High, PinValue.Low], driver.Writes.Select(w => w.Value));
    }

    [Fact]
    public async Task RepeatedAnomaliesKeepOneActivation()
    {
        var driver = new SimulatedGpioDriver();
        await using var alarm = new GpioAlarm(new GpioController(driver), pin: 4, hold: TimeSpan.FromMinutes(1));
        var sample = new Sample("0", [0.0]);
        alarm.OnSample(sample, Result(true));
        alarm.OnSample(sample, Result(false));
        alarm.OnSample(sample, Result(true));
        Assert.Equal(1, alarm.Activations);
        Assert.Equal(2, driver.Writes.Count);
    }

    [Fact]
    public async Task ActiveLowDrivesLowOnAnomaly()
    {
        var driver = new SimulatedGpioDriver();
        var alarm = new GpioAlarm(new GpioController(driver), pin: 22, hold: TimeSpan.FromMinutes(1), activeLow: true);
        Assert.Equal(PinValue.High, driver.Peek(22));
        alarm.OnSample(new Sample("0", [0.0]), Result(true));
        Assert.Equal(PinValue.Low, driver.Peek(22));
        await alarm.DisposeAsync();
        Assert.Equal(PinValue.High, driver.Peek(22));
    }
}
