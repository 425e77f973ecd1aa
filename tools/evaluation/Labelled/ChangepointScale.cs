namespace Embedded.Evaluation.Labelled;

/// <summary>How a window's first detection is scored by its position in the window.</summary>
public enum ChangepointScale
{
    /// <summary>
    /// NAB's scaled sigmoid (<see cref="Nab.NabScoring"/>): A_TP at the window's start falling towards 0 at its
    /// end; detections outside windows cost A_FP weighted by their distance past the previous window.
    /// </summary>
    NabSigmoid,

    /// <summary>
    /// SKAB's (tsad's "improved") scale: A_TP at the start falling along a tanh to -A_FP at the end, read on a
    /// 1,000-step grid; every detection outside windows costs A_FP in full.
    /// </summary>
    SkabTanh,
}
