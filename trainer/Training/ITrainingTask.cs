using Embedded.Trainer.Model;
using Embedded.Trainer.Network;

namespace Embedded.Trainer.Training;

/// <summary>One kind of training data and loss, plugged into <see cref="TrainingLoop"/>.</summary>
public interface ITrainingTask
{
    /// <summary>A fresh model of the right shape with the task's metadata (normalisation, columns, vocabulary).</summary>
    FloatModel CreateModel(TrainOptions options, Random random);

    /// <summary>Throws unless <paramref name="model"/> fits the data (resume, imported weights).</summary>
    void CheckCompatible(FloatModel model);

    /// <summary>Prepares an epoch (shuffling with <paramref name="random"/>); returns the number of mini-batches.</summary>
    int BeginEpoch(SequenceModel model, Random random);

    /// <summary>Forward + backward of one mini-batch (gradients zeroed by the caller); returns the mean loss and adds the samples processed.</summary>
    double TrainBatch(SequenceModel model, int batch, ref long samples);

    /// <summary>Validation loss and the task's metrics, filled into the report; null loss when there is no validation split.</summary>
    double? Evaluate(SequenceModel model, TrainingReport report);

    /// <summary>Fills end-of-training metrics from the training loss (e.g. training perplexity).</summary>
    void Finish(TrainingReport report) { }
}
