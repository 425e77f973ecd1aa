using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// GRU as PyTorch defines it, gate order r, z, n: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),
    /// h = (1 - z) * n + z * h, computed as n + z * (h - n).
    /// </summary>
    public sealed class GruLayer : RecurrentLayer
    {
        public GruLayer(RecurrentLayerParameters parameters, int hidden, IKernel kernel)
            : base(parameters, hidden, kernel)
        {
        }

        public override void Step(short[] input)
        {
            ComputePreactivations(input);
            int[] x = InputPre;
            int[] hp = RecurrentPre;
            short[] state = State;
            int hidden = Hidden;
            for (int j = 0; j < hidden; j++)
            {
                int z = j + hidden;
                int n = z + hidden;
                int reset = Activation.Sigmoid(x[j] + hp[j]);
                int update = Activation.Sigmoid(x[z] + hp[z]);
                // r (Q15) * recurrent part (Q12, |.| <= 2^28) needs 64 bits before the shift back to Q12.
                int gated = (int)((reset * (long)hp[n] + (1 << 14)) >> 15);
                int candidate = Activation.Tanh(x[n] + gated);
                int previous = state[j];
                // z < 2^15 and |h - n| < 2^16: the product stays below 2^31.
                state[j] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
            }
        }
    }
}
