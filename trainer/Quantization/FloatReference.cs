using Embedded.Shared.Model;
using Embedded.Trainer.Model;

namespace Embedded.Trainer.Quantization;

/// <summary>
/// Streaming double-precision runtime for a <see cref="FloatModel"/>: the same computation as the
/// integer predictor (normalise, stacked cells, head, de-normalise) without quantisation, to measure
/// what quantisation costs. Unidirectional models only (a stream has no future to run backwards from).
/// </summary>
public sealed class FloatReference
{
    private readonly FloatModel _model;
    private readonly double[][] _h;
    private readonly double[][] _c;
    private readonly double[][] _wih, _whh, _bih, _bhh;
    private readonly double[] _headW, _headB;
    private readonly double[] _x0;
    private readonly double[] _gatesX, _gatesH;

    public FloatReference(FloatModel model)
    {
        if (model.Bidirectional) throw new NotSupportedException("a bidirectional model cannot run as a stream");
        _model = model;
        int layers = model.Layers, hidden = model.HiddenSize, rows = model.Gates * hidden;
        _h = new double[layers][];
        _c = new double[layers][];
        _wih = new double[layers][];
        _whh = new double[layers][];
        _bih = new double[layers][];
        _bhh = new double[layers][];
        for (int k = 0; k < layers; k++)
        {
            _h[k] = new double[hidden];
            _c[k] = new double[hidden];
            _wih[k] = Checked(model, FloatModel.RnnName("weight_ih", k), rows * model.LayerInputSize(k));
            _whh[k] = Checked(model, FloatModel.RnnName("weight_hh", k), rows * hidden);
            _bih[k] = Checked(model, FloatModel.RnnName("bias_ih", k), rows);
            _bhh[k] = Checked(model, FloatModel.RnnName("bias_hh", k), rows);
        }
        _headW = Checked(model, "head.weight", model.OutputSize * hidden);
        _headB = Checked(model, "head.bias", model.OutputSize);
        _x0 = new double[model.InputSize];
        _gatesX = new double[rows];
        _gatesH = new double[rows];
    }

    private static double[] Checked(FloatModel model, string name, int count)
    {
        Tensor t = model[name];
        if (t.Data.Length != count) throw new ArgumentException($"parameter '{name}' has {t.Data.Length} values, expected {count}");
        return t.Data;
    }

    public FloatModel Model => _model;

    /// <summary>Hidden state of layer k (writable: tests start from PyTorch's h0).</summary>
    public double[] Hidden(int layer) => _h[layer];

    /// <summary>LSTM cell state of layer k (writable: tests start from PyTorch's c0).</summary>
    public double[] CellState(int layer) => _c[layer];

    public void Reset()
    {
        foreach (var h in _h) Array.Clear(h);
        foreach (var c in _c) Array.Clear(c);
    }

    /// <summary>One step with raw feature values; returns de-normalised forecasts or logits.</summary>
    public double[] Step(double[] raw)
    {
        var output = new double[_model.OutputSize];
        Step(raw, output);
        return output;
    }

    /// <summary>One step into a caller-owned buffer (no allocation; what the benchmark measures).</summary>
    public void Step(double[] raw, double[] output)
    {
        if (_model.Task == TaskKind.NextSymbol)
        {
            SetSymbol((int)raw[0]);
        }
        else
        {
            for (int i = 0; i < _x0.Length; i++)
            {
                double mean = i < _model.InputMean.Length ? _model.InputMean[i] : 0;
                double std = i < _model.InputStd.Length ? _model.InputStd[i] : 1;
                _x0[i] = (raw[i] - mean) / std;
            }
        }
        Advance(output);
        if (_model.Task == TaskKind.Forecast)
            for (int o = 0; o < _model.ChangeOutputs.Length; o++) if (_model.ChangeOutputs[o]) output[o] += raw[o];
    }

    /// <summary>One step of a NextSymbol model (one-hot input; out-of-range symbols feed zeros).</summary>
    public double[] StepSymbol(int symbol)
    {
        SetSymbol(symbol);
        var output = new double[_model.OutputSize];
        Advance(output);
        return output;
    }

    private void SetSymbol(int symbol)
    {
        Array.Clear(_x0);
        if (symbol >= 0 && symbol < _x0.Length) _x0[symbol] = 1;
    }

    private void Advance(double[] output)
    {
        double[] x = _x0;
        for (int k = 0; k < _model.Layers; k++)
        {
            StepLayer(k, x);
            x = _h[k];
        }
        int hidden = _model.HiddenSize;
        for (int o = 0; o < _model.OutputSize; o++)
        {
            double sum = _headB[o];
            for (int j = 0; j < hidden; j++) sum += _headW[o * hidden + j] * x[j];
            if (_model.Task == TaskKind.Forecast)
            {
                double std = o < _model.TargetStd.Length ? _model.TargetStd[o] : 1;
                double mean = o < _model.TargetMean.Length ? _model.TargetMean[o] : 0;
                sum = sum * std + mean;
            }
            output[o] = sum;
        }
    }

    private void StepLayer(int k, double[] x)
    {
        int hidden = _model.HiddenSize, rows = _gatesX.Length, width = x.Length;
        double[] h = _h[k], c = _c[k];
        MatVec(_wih[k], _bih[k], x, width, _gatesX, rows);
        MatVec(_whh[k], _bhh[k], h, hidden, _gatesH, rows);
        switch (_model.Cell)
        {
            case CellType.Rnn:
                for (int j = 0; j < hidden; j++) h[j] = Math.Tanh(_gatesX[j] + _gatesH[j]);
                break;
            case CellType.Lstm:
                for (int j = 0; j < hidden; j++)
                {
                    double i = Sigmoid(_gatesX[j] + _gatesH[j]);
                    double f = Sigmoid(_gatesX[hidden + j] + _gatesH[hidden + j]);
                    double g = Math.Tanh(_gatesX[2 * hidden + j] + _gatesH[2 * hidden + j]);
                    double o = Sigmoid(_gatesX[3 * hidden + j] + _gatesH[3 * hidden + j]);
                    c[j] = f * c[j] + i * g;
                    h[j] = o * Math.Tanh(c[j]);
                }
                break;
            case CellType.Gru:
                for (int j = 0; j < hidden; j++)
                {
                    double r = Sigmoid(_gatesX[j] + _gatesH[j]);
                    double z = Sigmoid(_gatesX[hidden + j] + _gatesH[hidden + j]);
                    double n = Math.Tanh(_gatesX[2 * hidden + j] + r * _gatesH[2 * hidden + j]);
                    h[j] = (1 - z) * n + z * h[j];
                }
                break;
        }
    }

    private static void MatVec(double[] w, double[] b, double[] x, int cols, double[] y, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            double sum = b[r];
            int offset = r * cols;
            for (int c = 0; c < cols; c++) sum += w[offset + c] * x[c];
            y[r] = sum;
        }
    }

    private static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
