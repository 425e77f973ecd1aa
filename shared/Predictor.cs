using System;
using Embedded.Shared.Kernels;
using Embedded.Shared.Layers;
using Embedded.Shared.Model;

namespace Embedded.Shared
{
    /// <summary>
    /// Streaming integer-only inference: load a model once, then Step one sample at a time with
    /// persistent state. Zero allocations after construction.
    /// </summary>
    public sealed class Predictor
    {
        private readonly RecurrentLayer[] _layers;
        private readonly DenseLayer _head;
        private readonly IInputNormaliser _normaliser;
        private readonly short[] _firstInput;
        private readonly bool _symbols;
        private readonly short _oneHot;
        private readonly int _inputCount;
        private readonly int _outputCount;
        private int _lastSymbol = -1;
        private readonly bool[] _changeOutputs;
        private readonly int _changeShift;

        /// <summary>Loads a model onto the portable kernel.</summary>
        public Predictor(ModelImage model)
            : this(model, PortableKernel.Instance)
        {
        }

        /// <summary>Loads a model onto the given matrix-vector kernel (e.g. the accelerated one).</summary>
        public Predictor(ModelImage model, IKernel kernel)
        {
            if (model == null) throw new ArgumentNullException("model");
            if (kernel == null) throw new ArgumentNullException("kernel");
            Model = model;
            _inputCount = model.InputCount;
            _outputCount = model.OutputCount;
            _layers = new RecurrentLayer[model.LayerCount];
            for (int i = 0; i < _layers.Length; i++)
            {
                _layers[i] = RecurrentLayer.Create(model.Cell, model.Layers[i], model.HiddenSize, kernel);
            }
            _head = new DenseLayer(model.Head, model.HeadOffsets, kernel);
            _firstInput = new short[model.FirstLayerWidth];
            _normaliser = CreateNormaliser(model, kernel);
            _symbols = model.Task == TaskKind.NextSymbol;
            // The one-hot "1.0" in the first layer's input fixed point (saturated for 15 fraction bits).
            int one = 1 << model.NormalisedFracBits;
            _oneHot = (short)(one > 32767 ? 32767 : one);
            _changeOutputs = model.ChangeOutputs;
            _changeShift = model.OutputFracBits - model.InputFracBits;
        }

        public ModelImage Model { get; }

        /// <summary>The kernel's own normaliser where it has one, else the portable one.</summary>
        private static IInputNormaliser CreateNormaliser(ModelImage model, IKernel kernel)
        {
            INormaliserKernel own = kernel as INormaliserKernel;
            if (own != null)
            {
                IInputNormaliser normaliser = own.CreateNormaliser(model);
                if (normaliser != null) return normaliser;
            }
            return new InputNormaliser(model);
        }

        /// <summary>The recurrent layers, first to last (for inspection and tests).</summary>
        public RecurrentLayer[] Layers
        {
            get { return _layers; }
        }

        /// <summary>The input normaliser in use: the kernel's own or the portable one (for inspection and tests).</summary>
        public IInputNormaliser Normaliser
        {
            get { return _normaliser; }
        }

        /// <summary>Clears all recurrent state to zero.</summary>
        public void Reset()
        {
            for (int i = 0; i < _layers.Length; i++) _layers[i].Reset();
        }

        /// <summary>
        /// One time step. <paramref name="input"/> holds Model.InputCount raw feature values in fixed point
        /// with Model.InputFracBits fraction bits (see FixedIo.ToFixed); <paramref name="output"/> receives
        /// Model.OutputCount values with Model.OutputFracBits fraction bits: de-normalised forecasts (for a change
        /// forecaster, the head's change plus the input), or logits.
        /// For a NextSymbol model input[0] is the symbol index.
        /// </summary>
        public void Step(int[] input, int[] output)
        {
            CheckBuffers(input, output);
            if (_symbols)
            {
                StepSymbol(input[0], output);
                return;
            }
            short[] x = _firstInput;
            _normaliser.Apply(input, x);
            // Advance, inlined (one call less per step on an interpreter).
            RecurrentLayer[] layers = _layers;
            for (int i = 0; i < layers.Length; i++)
            {
                RecurrentLayer layer = layers[i];
                layer.Step(x);
                x = layer.State;
            }
            _head.Step(x, output);
            if (_changeOutputs.Length > 0) AddInputs(input, output);
        }

        /// <summary>
        /// A change output (ModelImage.ChangeOutputs): output k += input k in the output's fixed point,
        /// rounded to nearest (ties up) when the output has fewer fraction bits, saturating to ±int.MaxValue.
        /// </summary>
        private void AddInputs(int[] input, int[] output)
        {
            int shift = _changeShift;
            bool[] change = _changeOutputs;
            for (int k = 0; k < change.Length; k++)
            {
                if (!change[k]) continue;
                long value = input[k];
                if (shift >= 0) value <<= shift;
                else value = (value + (1L << (-shift - 1))) >> -shift;
                value += output[k];
                if (value > 2147483647L) value = 2147483647L;
                else if (value < -2147483647L) value = -2147483647L;
                output[k] = (int)value;
            }
        }

        /// <summary>
        /// One step of a NextSymbol model: the input is a symbol index; outputs are logits. An index outside
        /// the vocabulary feeds an all-zero input (an unknown symbol) rather than failing the loop.
        /// </summary>
        public void StepSymbol(int symbol, int[] output)
        {
            CheckBuffers(null, output);
            short[] first = _firstInput;
            if (_lastSymbol >= 0) first[_lastSymbol] = 0;
            _lastSymbol = -1;
            if (symbol >= 0 && symbol < first.Length)
            {
                first[symbol] = _oneHot;
                _lastSymbol = symbol;
            }
            Advance(output);
        }

        private void Advance(int[] output)
        {
            short[] x = _firstInput;
            RecurrentLayer[] layers = _layers;
            for (int i = 0; i < layers.Length; i++)
            {
                layers[i].Step(x);
                x = layers[i].State;
            }
            _head.Step(x, output);
        }

        private void CheckBuffers(int[] input, int[] output)
        {
            if (output == null || output.Length < _outputCount)
            {
                throw new ArgumentException("output needs " + Model.OutputCount.ToString() + " values", "output");
            }
            if (input != null && input.Length < _inputCount)
            {
                throw new ArgumentException("input needs " + Model.InputCount.ToString() + " values", "input");
            }
        }

        /// <summary>
        /// Runs the golden test vectors stored in the model on a fresh predictor and returns how many
        /// output values differ from the stored ones (0 = the device computes what the PC computed).
        /// </summary>
        public static int CountGoldenMismatches(ModelImage model)
        {
            return CountGoldenMismatches(model, PortableKernel.Instance);
        }

        /// <summary>As <see cref="CountGoldenMismatches(ModelImage)"/>, on the given kernel.</summary>
        public static int CountGoldenMismatches(ModelImage model, IKernel kernel)
        {
            Predictor predictor = new Predictor(model, kernel);
            int inputs = model.InputCount;
            int outputs = model.OutputCount;
            int[] input = new int[inputs];
            int[] output = new int[outputs];
            int mismatches = 0;
            for (int step = 0; step < model.GoldenVectorCount; step++)
            {
                Array.Copy(model.GoldenInputs, step * inputs, input, 0, inputs);
                predictor.Step(input, output);
                for (int o = 0; o < outputs; o++)
                {
                    if (output[o] != model.GoldenOutputs[step * outputs + o]) mismatches++;
                }
            }
            return mismatches;
        }
    }
}
