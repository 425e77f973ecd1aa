using System.Device.I2c;

namespace Embedded.Edge.Sources.I2c;

/// <summary>
/// One chip on the bus behind the channels that read it: <see cref="Sample"/> performs one read per period and
/// caches the values the channels then pick. Made by a <see cref="SensorDefinition"/>.
/// </summary>
public abstract class SensorDevice : IDisposable
{
    /// <summary>Reads the chip; throws (IOException, TimeoutException) when it does not answer.</summary>
    public abstract void Sample();

    /// <summary>A quantity from the last <see cref="Sample"/>, in the unit its definition names.</summary>
    public abstract double Get(string quantity);

    public abstract void Dispose();
}

/// <summary>
/// A sensor the app can read: its name in channel specs, default address, how to create the dotnet/iot binding (or
/// the app's wrapper around it) on an <see cref="I2cDevice"/>, how to read it once per period, and its quantities,
/// each a function of that reading in a fixed unit. Adding a sensor the bindings support is one entry in
/// <see cref="SensorCatalog"/>.
/// </summary>
public abstract class SensorDefinition
{
    protected SensorDefinition(string name, int defaultAddress, IReadOnlyList<string> aliases)
    {
        Name = name;
        DefaultAddress = defaultAddress;
        Aliases = aliases;
    }

    /// <summary>Lower-case name used in <c>--sensor</c> specs, e.g. <c>mpu6050</c>.</summary>
    public string Name { get; }

    /// <summary>Other names accepted in specs.</summary>
    public IReadOnlyList<string> Aliases { get; }

    public int DefaultAddress { get; }

    /// <summary>Quantity names, in documentation order.</summary>
    public abstract IReadOnlyList<string> Quantities { get; }

    /// <summary>Unit of a quantity (for docs and logs).</summary>
    public abstract string UnitOf(string quantity);

    /// <summary>Creates the binding on <paramref name="bus"/> (which it then owns); its constructor probes the chip.</summary>
    public abstract SensorDevice Open(I2cDevice bus, IReadOnlyList<string> quantities);
}

/// <summary>A <see cref="SensorDefinition"/> over a binding (or wrapper) <typeparamref name="TSensor"/> read as <typeparamref name="TReading"/>.</summary>
public sealed class SensorDefinition<TSensor, TReading> : SensorDefinition
    where TSensor : IDisposable
{
    private readonly Func<I2cDevice, IReadOnlyList<string>, TSensor> _open;
    private readonly Func<TSensor, TReading> _read;
    private readonly Dictionary<string, (string Unit, Func<TReading, double> Value)> _quantities = new(StringComparer.Ordinal);
    private readonly List<string> _names = new();

    /// <param name="open">Creates the binding for the requested quantities (most ignore them).</param>
    /// <param name="read">One read per period; channels of the chip share it.</param>
    public SensorDefinition(string name, int defaultAddress, Func<I2cDevice, IReadOnlyList<string>, TSensor> open, Func<TSensor, TReading> read, params string[] aliases)
        : base(name, defaultAddress, aliases)
    {
        _open = open;
        _read = read;
    }

    public override IReadOnlyList<string> Quantities => _names;

    /// <summary>Adds a quantity: its name, unit and value from a reading.</summary>
    public SensorDefinition<TSensor, TReading> Quantity(string name, string unit, Func<TReading, double> value)
    {
        _quantities.Add(name, (unit, value));
        _names.Add(name);
        return this;
    }

    public override string UnitOf(string quantity) => _quantities[quantity].Unit;

    public override SensorDevice Open(I2cDevice bus, IReadOnlyList<string> quantities) => new Device(this, _open(bus, quantities));

    private sealed class Device(SensorDefinition<TSensor, TReading> definition, TSensor sensor) : SensorDevice
    {
        private TReading? _last;

        public override void Sample() => _last = definition._read(sensor);

        public override double Get(string quantity) => definition._quantities[quantity].Value(_last!);

        public override void Dispose() => sensor.Dispose();
    }
}
