using System;
using Embedded.Shared.Model;

namespace Embedded.Shared
{
    /// <summary>
    /// Streaming integer-only inference: load a model once, then Step one sample at a time with
    /// persistent state. Zero allocations after construction.
    /// CONTRACT STUB: owned by the runtime work (issue 3).
    /// </summary>
    public sealed class Predictor
    {
        public Predictor(ModelImage model)
        {
            Model = model;
            throw new NotImplementedException("Predictor");
        }

        public ModelImage Model { get; }

        /// <summary>Clears all recurrent state to zero.</summary>
        public void Reset()
        {
            throw new NotImplementedException();
        }

        /// <summary>
        /// One time step. <paramref name="input"/> holds Model.InputCount raw feature values in fixed point
        /// with Model.InputFracBits fraction bits (see FixedIo.ToFixed); <paramref name="output"/> receives
        /// Model.OutputCount values with Model.OutputFracBits fraction bits: de-normalised forecasts, or logits.
        /// </summary>
        public void Step(int[] input, int[] output)
        {
            throw new NotImplementedException();
        }

        /// <summary>One step of a NextSymbol model: the input is a symbol index; outputs are logits.</summary>
        public void StepSymbol(int symbol, int[] output)
        {
            throw new NotImplementedException();
        }

        /// <summary>
        /// Runs the golden test vectors stored in the model on a fresh predictor and returns how many
        /// output values differ from the stored ones (0 = the device computes what the PC computed).
        /// </summary>
        public static int CountGoldenMismatches(ModelImage model)
        {
            throw new NotImplementedException();
        }
    }
}
