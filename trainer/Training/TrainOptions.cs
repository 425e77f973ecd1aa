using Embedded.Shared.Model;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;

namespace Embedded.Trainer.Training;

public enum OptimizerKind { Sgd, Adam }

public enum LearningRateSchedule { Constant, Step, Cosine }

/// <summary>Every training setting, with the defaults the CLI uses. Serialised into checkpoints so --resume can check them.</summary>
public sealed class TrainOptions
{
    public CellType Cell { get; set; } = CellType.Lstm;
    public int Hidden { get; set; } = 32;
    public int Layers { get; set; } = 1;
    public bool Bidirectional { get; set; }
    /// <summary>Rows (or characters) per training sequence; for truncated BPTT the chunk length is <see cref="Tbptt"/>.</summary>
    public int Window { get; set; } = 64;
    /// <summary>Forecast the value this many rows ahead.</summary>
    public int Horizon { get; set; } = 1;
    /// <summary>Forecast the change from the current input (target k = feature k) for every target: an untrained head is persistence.</summary>
    public bool PredictChange { get; set; }
    /// <summary>Per target, which forecast changes (overrides <see cref="PredictChange"/> when not empty).</summary>
    public bool[] ChangeTargets { get; set; } = [];

    /// <summary>Per target: whether it is forecast as a change.</summary>
    public bool[] ChangeFlags(int targets)
    {
        if (ChangeTargets.Length > 0)
        {
            if (ChangeTargets.Length != targets) throw new ArgumentException($"{ChangeTargets.Length} change flags for {targets} targets");
            return (bool[])ChangeTargets.Clone();
        }
        return Enumerable.Repeat(PredictChange, targets).ToArray();
    }
    public int Epochs { get; set; } = 20;
    public int BatchSize { get; set; } = 32;
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;
    public double LearningRate { get; set; } = 0.005;
    /// <summary>SGD momentum (0 = plain SGD).</summary>
    public double Momentum { get; set; }
    /// <summary>Global gradient-norm clip (0 = off).</summary>
    public double Clip { get; set; } = 1.0;
    /// <summary>Truncated BPTT chunk length: &gt; 0 trains on contiguous streams with the state carried between chunks; 0 = full BPTT over independent windows.</summary>
    public int Tbptt { get; set; }
    /// <summary>Early stopping: stop after this many epochs without a better validation loss (0 = never).</summary>
    public int Patience { get; set; } = 5;
    public int Seed { get; set; } = 1;
    /// <summary>Chronological validation split: the last fraction of rows (or text).</summary>
    public double ValidationFraction { get; set; } = 0.2;
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;
    /// <summary>Step schedule: multiply the rate by <see cref="StepFactor"/> every <see cref="StepEvery"/> epochs.</summary>
    public int StepEvery { get; set; } = 10;
    public double StepFactor { get; set; } = 0.5;
    /// <summary>Cosine schedule floor.</summary>
    public double MinLearningRate { get; set; }
    /// <summary>Training windows start every this many rows (1 = every row).</summary>
    public int Stride { get; set; } = 1;
    /// <summary>Cap on mini-batches per epoch (0 = all).</summary>
    public int MaxBatchesPerEpoch { get; set; }
    /// <summary>For text: keep only the first this many characters (0 = all; d2l uses 10,000).</summary>
    public int MaxSymbols { get; set; }
    /// <summary>Arithmetic of the forward and backward passes (the weights, optimizer and losses stay double).</summary>
    public ComputePrecision Precision { get; set; } = ComputePrecision.Float32;
    /// <summary>
    /// The general LSTM path with the library's sigmoid/tanh (faster where fma runs in software, x64 without FMA); the results
    /// then differ from CPU to CPU. Off: the same bits on every path (issue 17 item 5).
    /// </summary>
    public bool FastMath { get; set; }
    /// <summary>Recorded in the trained model so `quantize` can calibrate on the training data by default.</summary>
    public TrainingDataSource? TrainingData { get; set; }
    /// <summary>Written after every good epoch (atomically) with the resume state; null = no checkpoints during training.</summary>
    public string? CheckpointPath { get; set; }

    public double LearningRateAt(int epoch) => Schedule switch
    {
        LearningRateSchedule.Step => LearningRate * Math.Pow(StepFactor, epoch / Math.Max(1, StepEvery)),
        LearningRateSchedule.Cosine => MinLearningRate + (LearningRate - MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, Epochs))),
        _ => LearningRate,
    };

    public void Validate()
    {
        void Require(bool ok, string what) { if (!ok) throw new ArgumentException(what); }
        Require(Hidden >= 1, "hidden size must be at least 1");
        Require(Layers >= 1, "layers must be at least 1");
        Require(Window >= 1, "window must be at least 1");
        Require(Horizon >= 1, "horizon must be at least 1");
        Require(Epochs >= 0, "epochs must be 0 or more");
        Require(BatchSize >= 1, "batch size must be at least 1");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), "learning rate must be positive");
        Require(Momentum is >= 0 and < 1, "momentum must be in [0, 1)");
        Require(Clip >= 0, "clip must be 0 (off) or positive");
        Require(Tbptt >= 0, "tbptt must be 0 (off) or positive");
        Require(Patience >= 0, "patience must be 0 (off) or positive");
        Require(ValidationFraction is >= 0 and < 1, "validation fraction must be in [0, 1)");
        Require(Stride >= 1, "stride must be at least 1");
        Require(!(Bidirectional && Tbptt > 0), "bidirectional layers need whole sequences: use --tbptt 0");
    }

    /// <summary>The settings that must match when resuming.</summary>
    public string Fingerprint() => $"{Cell}|{Hidden}|{Layers}|{Bidirectional}|{Window}|{Horizon}|{Tbptt}" + (PredictChange ? "|change" : "")
        + (ChangeTargets.Length > 0 ? "|change:" + string.Concat(ChangeTargets.Select(c => c ? '1' : '0')) : "");
}
