using Embedded.Trainer.Model;

namespace Embedded.Evaluation.Detection;

/// <summary>Trains the float forecaster on the first rows of a stream (no row after them is ever seen).</summary>
public static class ForecastTraining
{
    /// <summary>Rows are raw values per channel with no missing values (the caller fills gaps).</summary>
    public static FloatModel Train(double[][] rows, string[] channelNames, ForecastTrainingOptions options)
    {
        throw new NotSupportedException("training arrives with the trainer's API");
    }
}
