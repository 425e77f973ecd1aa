using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// Common part of the recurrent layers: the two matrix products of a step turned into Q12 gate
    /// pre-activations (input part with b_ih, recurrent part with b_hh), and the Q15 hidden state.
    /// </summary>
    public abstract class RecurrentLayer
    {
        private readonly IMatVec _input;
        private readonly IMatVec _recurrent;
        private readonly RowScale _inputScale;
        private readonly RowScale _recurrentScale;
        private readonly int[] _inputBias;
        private readonly int[] _recurrentBias;
        private readonly long[] _inputSums;
        private readonly long[] _recurrentSums;

        /// <summary>W_ih x + b_ih per gate row, Q12.</summary>
        protected readonly int[] InputPre;
        /// <summary>W_hh h + b_hh per gate row, Q12.</summary>
        protected readonly int[] RecurrentPre;
        protected readonly int Hidden;

        protected RecurrentLayer(RecurrentLayerParameters parameters, int hidden, IKernel kernel)
        {
            Hidden = hidden;
            int rows = parameters.Input.Rows;
            _input = kernel.Create(parameters.Input);
            _recurrent = kernel.Create(parameters.Recurrent);
            _inputScale = new RowScale(parameters.Input);
            _recurrentScale = new RowScale(parameters.Recurrent);
            _inputBias = parameters.InputBias;
            _recurrentBias = parameters.RecurrentBias;
            _inputSums = new long[rows];
            _recurrentSums = new long[rows];
            InputPre = new int[rows];
            RecurrentPre = new int[rows];
            State = new short[hidden];
        }

        /// <summary>For a layer that computes its own step (a fused kernel): only the state is kept here.</summary>
        protected RecurrentLayer(int hidden)
        {
            Hidden = hidden;
            InputPre = new int[0];
            RecurrentPre = new int[0];
            State = new short[hidden];
        }

        /// <summary>Hidden state h (Q15): the layer's output, read by the next layer and the head.</summary>
        public short[] State { get; private set; }

        /// <summary>Advances one time step with the given input vector (Q15, or the normalised input for layer 0).</summary>
        public abstract void Step(short[] input);

        /// <summary>Clears all recurrent state.</summary>
        public virtual void Reset()
        {
            System.Array.Clear(State, 0, State.Length);
        }

        /// <summary>Fills InputPre and RecurrentPre from the input and the current state.</summary>
        protected void ComputePreactivations(short[] input)
        {
            int rows = InputPre.Length;
            _input.Multiply(input, _inputSums);
            _recurrent.Multiply(State, _recurrentSums);
            _inputScale.Apply(_inputSums, _inputBias, InputPre, rows);
            _recurrentScale.Apply(_recurrentSums, _recurrentBias, RecurrentPre, rows);
        }

        /// <summary>Builds the layer for a model's cell type.</summary>
        public static RecurrentLayer Create(CellType cell, RecurrentLayerParameters parameters, int hidden, IKernel kernel)
        {
            ILayerKernel fused = kernel as ILayerKernel;
            if (fused != null)
            {
                RecurrentLayer layer = fused.CreateLayer(cell, parameters, hidden);
                if (layer != null) return layer;
            }
            if (cell == CellType.Lstm) return new LstmLayer(parameters, hidden, kernel);
            if (cell == CellType.Gru) return new GruLayer(parameters, hidden, kernel);
            return new RnnLayer(parameters, hidden, kernel);
        }
    }
}
