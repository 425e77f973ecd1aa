using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>Elman RNN: h = tanh(W_ih x + b_ih + W_hh h + b_hh).</summary>
    public sealed class RnnLayer : RecurrentLayer
    {
        public RnnLayer(RecurrentLayerParameters parameters, int hidden, IKernel kernel)
            : base(parameters, hidden, kernel)
        {
        }

        public override void Step(short[] input)
        {
            ComputePreactivations(input);
            int[] x = InputPre;
            int[] h = RecurrentPre;
            short[] state = State;
            int hidden = Hidden;
            for (int j = 0; j < hidden; j++)
            {
                state[j] = (short)Activation.Tanh(x[j] + h[j]);
            }
        }
    }
}
