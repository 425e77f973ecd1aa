namespace Embedded.Shared.Kernels
{
    /// <summary>
    /// Integer matrix-vector product for one weight matrix: accumulators[r] = sum_c W[r, c] * input[c],
    /// exact (no rounding, no overflow within the format's limits). Implementations must agree bit for bit.
    /// </summary>
    public interface IMatVec
    {
        void Multiply(short[] input, long[] accumulators);
    }
}
