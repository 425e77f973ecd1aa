using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;

namespace Embedded.BitExact
{
    /// <summary>
    /// One model: golden vectors, then a fixed pseudo-random input stream through Predictor and (for
    /// forecasters) AnomalyDetector, printing every raw output, score, state (A) and alarm (L). Reset half-way so Reset
    /// is covered too.
    /// </summary>
    public static class ModelStream
    {
        public static void Run(string name, byte[] bytes, int steps)
        {
            ModelImage model = ModelImage.Parse(bytes);
            Out.Line("MODEL " + name + " golden-mismatches=" + Predictor.CountGoldenMismatches(model).ToString());
            Predictor predictor = new Predictor(model);
            bool symbols = model.Task == TaskKind.NextSymbol;
            AnomalyDetector detector = null;
            if (model.Task == TaskKind.Forecast && model.OutputCount <= model.InputCount && model.DetectorSection.Length > 0)
            {
                detector = new AnomalyDetector(model);
            }
            int[] input = new int[model.InputCount];
            int[] output = new int[model.OutputCount];
            int[] forecast = new int[model.OutputCount];
            int[] actual = new int[model.OutputCount];
            bool hasForecast = false;
            XorShiftRandom random = new XorShiftRandom(12345);
            uint hash = 2166136261;
            int anomalies = 0;
            int shift = model.OutputFracBits - model.InputFracBits;
            for (int t = 0; t < steps; t++)
            {
                if (t == steps / 2)
                {
                    predictor.Reset();
                    if (detector != null) detector.Reset();
                    hasForecast = false;
                }
                Fill(random, input, symbols ? model.FirstLayerWidth : 0, model.InputFracBits, t);
                string line = t.ToString();
                if (detector != null && hasForecast)
                {
                    for (int i = 0; i < actual.Length; i++) actual[i] = shift >= 0 ? input[i] << shift : input[i] >> -shift;
                    int score = detector.Update(actual, forecast);
                    if (detector.IsAnomaly || detector.IsAlarm) anomalies++;
                    line += " s=" + score.ToString() + (detector.IsAnomaly ? " A" : "") + (detector.IsAlarm ? " L" : "");
                    hash = Mix(hash, score);
                }
                predictor.Step(input, output);
                for (int i = 0; i < output.Length; i++)
                {
                    line += " " + output[i].ToString();
                    forecast[i] = output[i];
                    hash = Mix(hash, output[i]);
                }
                hasForecast = true;
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
