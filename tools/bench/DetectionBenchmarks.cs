using BenchmarkDotNet.Attributes;
using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;
using Embedded.Trainer.Detection;
using Embedded.Trainer.Quantization;

namespace Embedded.Bench;

/// <summary>
/// Per-sample cost of the portable anomaly detector alone and of one full on-device step (Predictor.Step
/// of the `detect` default model, LSTM 16 hidden, then AnomalyDetector.Update), 4096 samples per call.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private const int Samples = 4096;
    private int[][] _actual = [];
    private int[][] _forecast = [];
    private int[][] _actual4 = [];
    private int[][] _forecast4 = [];
    private AnomalyDetector _detector = null!;
    private AnomalyDetector _detector4 = null!;
    private Predictor _predictor = null!;
    private AnomalyDetector _modelDetector = null!;
    private int[] _output = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _actual = new int[Samples][];
        _forecast = new int[Samples][];
        _actual4 = new int[Samples][];
        _forecast4 = new int[Samples][];
        for (int t = 0; t < Samples; t++)
        {
            int clean = (int)(2560 * Math.Sin(t / 10.0));
            _actual[t] = [clean + random.Next(-64, 64)];
            _forecast[t] = [clean];
            _actual4[t] = [.. Enumerable.Range(0, 4).Select(c => clean + c * 100 + random.Next(-64, 64))];
            _forecast4[t] = [.. Enumerable.Range(0, 4).Select(c => clean + c * 100)];
        }
        _detector = new AnomalyDetector(DetectorParameters.Parse(DetectorCalibration.Calibrate(_actual[..600], _forecast[..600], 8)));
        _detector4 = new AnomalyDetector(DetectorParameters.Parse(DetectorCalibration.Calibrate(_actual4[..600], _forecast4[..600], 8)));

        var model = RandomFloatModel.Create(CellType.Lstm, 1, 16, 1, 1, seed: 2);
        var rows = _actual[..600].Select(r => new[] { r[0] / 256.0 }).ToArray();
        var image = Quantizer.Quantize(model, rows).Parse();
        _predictor = new Predictor(image);
        _modelDetector = new AnomalyDetector(image);
        _output = new int[1];
    }

    [Benchmark(OperationsPerInvoke = Samples, Description = "AnomalyDetector.Update, 1 channel")]
    public int DetectorOneChannel()
    {
        int score = 0;
        for (int t = 0; t < Samples; t++) score = _detector.Update(_actual[t], _forecast[t]);
        return score;
    }

    [Benchmark(OperationsPerInvoke = Samples, Description = "AnomalyDetector.Update, 4 channels")]
    public int DetectorFourChannels()
    {
        int score = 0;
        for (int t = 0; t < Samples; t++) score = _detector4.Update(_actual4[t], _forecast4[t]);
        return score;
    }

    [Benchmark(OperationsPerInvoke = Samples, Description = "Predictor.Step (LSTM 16) + AnomalyDetector.Update")]
    public int PredictAndDetect()
    {
        int score = 0;
        for (int t = 0; t < Samples; t++)
        {
            score = _modelDetector.Update(_actual[t], _output);
            _predictor.Step(_actual[t], _output);
        }
        return score;
    }
}
