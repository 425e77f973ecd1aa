namespace Embedded.Evaluation.Demo;

/// <summary>The numbers the demo prints.</summary>
public sealed record DemoSummary
{
    public required string DataPath { get; init; }
    public int Rows { get; init; }
    public int TrainRows { get; init; }
    public double TrainSeconds { get; init; }
    public double ScoreSeconds { get; init; }
    public int ModelBytes { get; init; }
    public int ParameterBytes { get; init; }
    public int DetectorBytes { get; init; }
    public int WeightBits { get; init; }
    /// <summary>RMSE of the fixed-point forecast against the float model's, over every row.</summary>
    public double RmseFixedVsFloat { get; init; }
    /// <summary>RMSE of each forecast against the truth, over the rows after training.</summary>
    public double RmseFixed { get; init; }
    public double RmseFloat { get; init; }
    public double Threshold { get; init; }
    public int LabelledWindows { get; init; }
    public int WindowsFound { get; init; }
    /// <summary>Alarm events (runs of anomalous rows) outside every labelled window, after training.</summary>
    public int FalseAlarms { get; init; }
    public int AlarmEvents { get; init; }
    /// <summary>NAB standard score of this one file at the model's own calibrated threshold (null without windows).</summary>
    public double? NabStandardAtThreshold { get; init; }
    public required string ScoresPath { get; init; }
    public required string ModelPath { get; init; }
    public required string PlotPath { get; init; }
}
