using System.Device.I2c;
using Embedded.Edge.Sensors.Adc;

namespace Embedded.Edge.Sources.I2c;

/// <summary>ADS1115 channels in volts: one single-shot conversion per requested input per period (±4.096 V, 860 SPS).</summary>
public sealed class Ads1115Device : SensorDevice
{
    private readonly Ads1115 _adc;
    private readonly string[] _quantities;
    private readonly InputMultiplexer[] _mux;
    private readonly double[] _volts;

    public Ads1115Device(I2cDevice bus, IReadOnlyList<string> quantities)
    {
        _adc = new Ads1115(bus, InputMultiplexer.Ain0, MeasuringRange.FS4096, DataRate.SPS860);
        _quantities = quantities.Distinct().ToArray();
        _mux = _quantities.Select(ToMux).ToArray();
        _volts = new double[_quantities.Length];
    }

    public override void Sample()
    {
        for (int i = 0; i < _mux.Length; i++) _volts[i] = _adc.ReadVoltage(_mux[i]);
    }

    public override double Get(string quantity) => _volts[Array.IndexOf(_quantities, quantity)];

    public override void Dispose() => _adc.Dispose();

    private static InputMultiplexer ToMux(string quantity) => quantity switch
    {
        "ain0" => InputMultiplexer.Ain0,
        "ain1" => InputMultiplexer.Ain1,
        "ain2" => InputMultiplexer.Ain2,
        "ain3" => InputMultiplexer.Ain3,
        "ain0-ain1" => InputMultiplexer.Ain0Ain1,
        "ain0-ain3" => InputMultiplexer.Ain0Ain3,
        "ain1-ain3" => InputMultiplexer.Ain1Ain3,
        _ => InputMultiplexer.Ain2Ain3,
    };
}
