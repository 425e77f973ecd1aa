using Embedded.Shared;
using Embedded.Shared.Fixed;
using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Quantization;

namespace Embedded.Bench;

/// <summary>
/// The model and input stream every runtime suite steps through, so their figures compare: a random
/// float model (one recurrent layer, I = 8, one output, seed 42) quantized on 256 random rows (seed 7),
/// and those rows in the model's input fixed point, replayed in a loop.
/// </summary>
internal sealed class RuntimeBenchStream
{
    public const int Inputs = 8;

    private readonly int[][] _rows;
    private readonly int[] _output = new int[1];
    private int _t;

    public RuntimeBenchStream(CellType cell, int hidden, int bits)
    {
        Float = RandomFloatModel.Create(cell, Inputs, hidden, 1, 1, seed: 42);
        FloatRows = RandomFloatModel.Rows(Float, 256, seed: 7);
        Image = Quantizer.Quantize(Float, FloatRows, new QuantizeOptions { Bits = bits, CalibrateDetector = false }).Parse();
        _rows = FloatRows.Select(r => r.Select(v => FixedIo.ToFixed(v, Image.InputFracBits)).ToArray()).ToArray();
    }

    public FloatModel Float { get; }

    public double[][] FloatRows { get; }

    public ModelImage Image { get; }

    /// <summary>The next row of the stream, in the model's input fixed point.</summary>
    public int[] NextRow() => _rows[_t++ & 255];

    /// <summary>One step of the predictor on the next row; returns its output (so the step is not optimised away).</summary>
    public int Step(Predictor predictor)
    {
        predictor.Step(NextRow(), _output);
        return _output[0];
    }
}
