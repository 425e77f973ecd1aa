using System.Diagnostics;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Model;
using Embedded.Trainer.Network;

namespace Embedded.Trainer.Training;

/// <summary>
/// The epoch loop shared by all tasks: mini-batches, global-norm clipping, the optimizer and its schedule,
/// chronological validation with early stopping (best weights kept), a checkpoint after every good epoch,
/// a stop on a non-finite loss (last good weights kept), cancellation (Ctrl-C) and resume.
/// Deterministic for a given seed: the model is initialised from Random(seed), epoch e shuffles with Random(EpochSeed(seed, e)).
/// </summary>
public static class TrainingLoop
{
    public static TrainResult Run(ITrainingTask task, TrainOptions options, FloatModel? initial = null, TrainingState? resume = null,
        IProgress<EpochProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        FloatModel model;
        if (initial is not null)
        {
            task.CheckCompatible(initial);
            model = FloatModelFactory.Clone(initial);
        }
        else model = task.CreateModel(options, new Random(options.Seed));
        if (options.TrainingData is not null) model.TrainingData = options.TrainingData;

        var seq = new SequenceModel(model, options.Precision, options.FastMath);
        Optimizer optimizer = options.Optimizer == OptimizerKind.Adam ? new AdamOptimizer(options.LearningRate) : new SgdOptimizer(options.LearningRate, options.Momentum);
        var state = resume ?? new TrainingState();
        if (resume is not null)
        {
            if (resume.OptionsJson.Length > 0 && resume.OptionsJson != options.Fingerprint())
                throw new ArgumentException($"--resume: the checkpoint was trained with different settings ({resume.OptionsJson}) than now ({options.Fingerprint()})");
            optimizer.ImportState(resume.OptimizerBuffers, resume.OptimizerSteps);
        }
        state.OptionsJson = options.Fingerprint();

        var report = new TrainingReport
        {
            Task = model.Task.ToString(),
            Cell = model.Cell.ToString().ToLowerInvariant(),
            Hidden = model.HiddenSize,
            Layers = model.Layers,
            Bidirectional = model.Bidirectional,
            Parameters = model.Parameters.Values.Sum(t => t.Data.Length),
            StopReason = "completed",
        };
        var gradientArrays = seq.ParameterNames.Select(n => seq.Gradients[n].Data).ToArray();
        var lastGood = Snapshot(model);
        long totalSamples = 0;
        double totalSeconds = 0;
        int epoch = state.EpochsDone;
        for (; epoch < options.Epochs; epoch++)
        {
            if (cancel.IsCancellationRequested) { report.StopReason = "cancelled"; break; }
            optimizer.LearningRate = options.LearningRateAt(epoch);
            var random = new Random(EpochSeed(options.Seed, epoch));
            int batches = task.BeginEpoch(seq, random);
            if (options.MaxBatchesPerEpoch > 0) batches = Math.Min(batches, options.MaxBatchesPerEpoch);
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            long samples = 0;
            int done = 0;
            bool failed = false;
            for (int b = 0; b < batches; b++)
            {
                if (cancel.IsCancellationRequested) break;
                seq.ZeroGradients();
                double loss = task.TrainBatch(seq, b, ref samples);
                double norm = GradientClipping.ClipGlobalNorm(gradientArrays, options.Clip);
                if (!double.IsFinite(loss) || !double.IsFinite(norm)) { failed = true; break; }
                optimizer.Step(model.Parameters, seq.Gradients);
                seq.ParametersChanged();
                lossSum += loss;
                done++;
            }
            clock.Stop();
            if (failed || !AllFinite(model))
            {
                Restore(model, lastGood);
                seq.ParametersChanged();
                report.StopReason = "nan_loss";
                break;
            }
            if (cancel.IsCancellationRequested && done < batches)
            {
                // A partial epoch: keep the weights of the last complete one so resume restarts this epoch cleanly.
                Restore(model, lastGood);
                seq.ParametersChanged();
                report.StopReason = "cancelled";
                break;
            }
            totalSamples += samples;
            totalSeconds += clock.Elapsed.TotalSeconds;
            double trainLoss = done > 0 ? lossSum / done : double.NaN;
            double? valLoss = task.Evaluate(seq, report);
            state.TrainLoss.Add(trainLoss);
            state.ValLoss.Add(valLoss ?? double.NaN);
            double watched = valLoss ?? trainLoss;
            if (watched < state.BestValLoss)
            {
                state.BestValLoss = watched;
                state.EpochsSinceBest = 0;
                state.BestParameters = Snapshot(model);
                report.BestEpoch = epoch + 1;
            }
            else state.EpochsSinceBest++;
            state.EpochsDone = epoch + 1;
            state.OptimizerSteps = optimizer.Steps;
            lastGood = Snapshot(model);
            if (options.CheckpointPath is not null)
            {
                state.OptimizerBuffers = optimizer.ExportState();
                FloatModelFile.Save(options.CheckpointPath, model, state);
            }
            progress?.Report(new EpochProgress(epoch + 1, options.Epochs, trainLoss, valLoss, samples / Math.Max(1e-9, clock.Elapsed.TotalSeconds), optimizer.LearningRate, MetricText(report)));
            if (options.Patience > 0 && state.EpochsSinceBest >= options.Patience) { report.StopReason = "early_stopping"; epoch++; break; }
        }
        if (report.StopReason == "cancelled" && options.CheckpointPath is not null)
        {
            state.OptimizerBuffers = optimizer.ExportState();
            FloatModelFile.Save(options.CheckpointPath, model, state);
        }

        // The model handed back is the one with the best validation loss.
        if (state.BestParameters.Count > 0) Restore(model, state.BestParameters);
        seq.ParametersChanged();
        report.EpochsRun = state.EpochsDone;
        report.TrainLossHistory = state.TrainLoss;
        report.ValLossHistory = state.ValLoss;
        report.TrainLoss = state.TrainLoss.Count > 0 ? state.TrainLoss[Math.Max(0, report.BestEpoch - 1)] : double.NaN;
        if (state.EpochsDone > 0) report.ValLoss = task.Evaluate(seq, report);
        task.Finish(report);
        report.Seconds = totalSeconds;
        report.SamplesPerSecond = totalSeconds > 0 ? totalSamples / totalSeconds : 0;
        report.TokensPerSecond = model.Task == Embedded.Shared.Model.TaskKind.NextSymbol ? report.SamplesPerSecond : 0;
        return new TrainResult(model, report);
    }

    private static string? MetricText(TrainingReport r) =>
        r.ValRmse is double rmse ? $"val_rmse {rmse:G4} (persistence {r.BaselineRmse:G4})"
        : r.ValPerplexity is double ppl ? $"val_perplexity {ppl:F3}"
        : r.ValAccuracy is double acc ? $"val_accuracy {acc:P1}" : null;

    private static Dictionary<string, Tensor> Snapshot(FloatModel model) =>
        model.Parameters.ToDictionary(p => p.Key, p => new Tensor((int[])p.Value.Shape.Clone(), (double[])p.Value.Data.Clone()), StringComparer.Ordinal);

    private static void Restore(FloatModel model, Dictionary<string, Tensor> snapshot)
    {
        foreach (var (name, t) in snapshot) Array.Copy(t.Data, model[name].Data, t.Data.Length);
    }

    private static bool AllFinite(FloatModel model)
    {
        foreach (var t in model.Parameters.Values)
            foreach (double v in t.Data) if (!double.IsFinite(v)) return false;
        return true;
    }

    /// <summary>
    /// The seed of epoch e's shuffle. A fixed integer mix, not HashCode.Combine: HashCode is randomised
    /// per process, which made two runs with the same --seed train different models.
    /// </summary>
    internal static int EpochSeed(int seed, int epoch) => unchecked(seed * 1_000_003 + epoch * 7_919 + 0x5eed);
}
