using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.BitExact
{
    /// <summary>
    /// One model: golden vectors, then a fixed pseudo-random input stream (a value missing now and then)
    /// through StreamMonitor (Predictor and, for forecasters, AnomalyDetector), printing every raw output,
    /// score, state (A) and alarm (L). Reset half-way so Reset is covered too.
    /// </summary>
    public static class ModelStream
    {
        public static void Run(string name, byte[] bytes, int steps)
        {
            ModelImage model = ModelImage.Parse(bytes);
            Out.Line("MODEL " + name + " golden-mismatches=" + Predictor.CountGoldenMismatches(model).ToString());
            bool symbols = model.Task == TaskKind.NextSymbol;
            // The shared per-sample protocol (as the firmware, the Pi app and detect run it); for a forecaster
            // with a detector section, the model's detector. Now and then a value is missing (bridged).
            StreamMonitor monitor;
            try
            {
                monitor = new StreamMonitor(model);
            }
            catch (System.ArgumentException)
            {
                monitor = new StreamMonitor(model, PortableKernel.Instance, null); // a shape the detector cannot watch: forecasts only
            }
            int[] input = new int[model.InputCount];
            XorShiftRandom random = new XorShiftRandom(12345);
            uint hash = 2166136261;
            int anomalies = 0;
            for (int t = 0; t < steps; t++)
            {
                if (t == steps / 2) monitor.Reset();
                Fill(random, input, symbols ? model.FirstLayerWidth : 0, model.InputFracBits, t);
                if (!symbols && t % 23 == 22) input[t % input.Length] = StreamMonitor.Missing;
                string line = t.ToString();
                int score = monitor.Step(input);
                if (monitor.Detector != null && monitor.HasForecast)
                {
                    if (monitor.IsAnomaly || monitor.IsAlarm) anomalies++;
                    line += " s=" + score.ToString() + (monitor.IsAnomaly ? " A" : "") + (monitor.IsAlarm ? " L" : "");
                    hash = Mix(hash, score);
                }
                int[] output = monitor.NextForecast;
                for (int i = 0; i < output.Length; i++)
                {
                    line += " " + output[i].ToString();
                    hash = Mix(hash, output[i]);
                }
                Out.Line(line);
            }
            Out.Line("SUM " + name + " anomalies=" + anomalies.ToString() + " hash=" + hash.ToString());
        }

        /// <summary>Inputs in about ±2.0 with a spike every 97 steps (so the detector has something to flag); a symbol index for NextSymbol.</summary>
        private static void Fill(XorShiftRandom random, int[] input, int vocabulary, int fracBits, int t)
        {
            if (vocabulary > 0)
            {
                input[0] = (int)random.NextBelow(vocabulary + 1) - (t % 50 == 49 ? vocabulary + 5 : 0); // out-of-vocabulary now and then
                return;
            }
            for (int i = 0; i < input.Length; i++)
            {
                long milli = random.NextBelow(4001) - 2000;
                if (t % 97 == 96) milli *= 8;
                input[i] = (int)((milli << fracBits) / 1000);
            }
        }

        private static uint Mix(uint hash, int value)
        {
            unchecked
            {
                hash ^= (uint)value;
                return hash * 16777619;
            }
        }
    }
}
