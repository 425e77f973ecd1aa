namespace Embedded.Edge.Engine;

/// <summary>
/// What the edge loop needs from a model: turn one sample into a forecast and an anomaly score.
/// The app's only seam to the runtime and detector, so sources, actions and tests do not depend
/// on their internals.
/// </summary>
public interface IScoringEngine
{
    /// <summary>Number of values each sample must carry (the model's inputs).</summary>
    int InputCount { get; }

    /// <summary>Number of forecast values (the model's outputs, compared with the first target channels).</summary>
    int OutputCount { get; }

    /// <summary>Short description for logs: cell, sizes, CRC.</summary>
    string Description { get; }

    /// <summary>
    /// Scores <paramref name="values"/> against the forecast made at the previous step, then steps the
    /// model to forecast the next sample. The result's arrays are owned by the engine and reused.
    /// </summary>
    StepResult Step(double[] values);

    /// <summary>Forgets all history (recurrent state, detector statistics, pending forecast).</summary>
    void Reset();
}
