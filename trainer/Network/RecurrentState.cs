namespace Embedded.Trainer.Network;

/// <summary>
/// Hidden (and LSTM cell) state of every layer and direction, PyTorch's h_n/c_n order: index = layer·directions + direction,
/// each (batch × H) row-major.
/// </summary>
public sealed class RecurrentState
{
    public RecurrentState(int units, int batch, int hidden, bool hasCell)
    {
        Batch = batch;
        Hidden = hidden;
        H = new double[units][];
        C = new double[units][];
        for (int u = 0; u < units; u++)
        {
            H[u] = new double[batch * hidden];
            C[u] = hasCell ? new double[batch * hidden] : [];
        }
    }

    public int Batch { get; }
    public int Hidden { get; }
    public double[][] H { get; }
    public double[][] C { get; }

    public void Clear()
    {
        foreach (double[] h in H) Array.Clear(h);
        foreach (double[] c in C) Array.Clear(c);
    }

    /// <summary>True when every value is finite (a NaN state would poison the next truncated-BPTT window).</summary>
    public bool IsFinite()
    {
        foreach (double[] h in H) foreach (double v in h) if (!double.IsFinite(v)) return false;
        foreach (double[] c in C) foreach (double v in c) if (!double.IsFinite(v)) return false;
        return true;
    }
}
