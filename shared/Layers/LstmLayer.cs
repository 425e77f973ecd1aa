using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// LSTM, PyTorch gate order i, f, g, o: c = f*c + i*g, h = o*tanh(c). The cell state is int16 in Q11
    /// (range +-16, headroom for tanh which saturates near 8), saturated so it never wraps.
    /// </summary>
    public sealed class LstmLayer : RecurrentLayer
    {
        /// <summary>Fraction bits of the cell state.</summary>
        public const int CellFracBits = 11;

        private readonly short[] _cell;

        public LstmLayer(RecurrentLayerParameters parameters, int hidden, IKernel kernel)
            : base(parameters, hidden, kernel)
        {
            _cell = new short[hidden];
        }

        /// <summary>Cell state c (Q11).</summary>
        public short[] Cell
        {
            get { return _cell; }
        }

        public override void Step(short[] input)
        {
            ComputePreactivations(input);
            int[] x = InputPre;
            int[] hp = RecurrentPre;
            short[] state = State;
            short[] cell = _cell;
            int hidden = Hidden;
            for (int j = 0; j < hidden; j++)
            {
                int f = j + hidden;
                int g = f + hidden;
                int o = g + hidden;
                int inputGate = Activation.Sigmoid(x[j] + hp[j]);
                int forgetGate = Activation.Sigmoid(x[f] + hp[f]);
                int candidate = Activation.Tanh(x[g] + hp[g]);
                int outputGate = Activation.Sigmoid(x[o] + hp[o]);
                // Q15*Q11 and (Q15*Q15 >> 4) are both Q26; their sum stays below 2^31.
                int c = (forgetGate * cell[j] + ((inputGate * candidate) >> 4) + (1 << 14)) >> 15;
                if (c > 32767) c = 32767;
                else if (c < -32768) c = -32768;
                cell[j] = (short)c;
                // tanh takes Q12: one left shift of the Q11 cell.
                state[j] = (short)((outputGate * Activation.Tanh(c << 1) + (1 << 14)) >> 15);
            }
        }

        public override void Reset()
        {
            base.Reset();
            System.Array.Clear(_cell, 0, _cell.Length);
        }
    }
}
