using Embedded.Shared;
using Embedded.Shared.Detection;
using Embedded.Shared.Model;

namespace Embedded.NanoBench
{
    /// <summary>
    /// Interpreter-speed benchmark, nanoFramework v1 C#, run on nanoCLR by tools/nanoclr-bench. The case and
    /// the step count come from a separate tiny assembly (BenchCase, built per run), so this program and the
    /// portable sources are compiled once. Inputs are precomputed (a cycle of Period samples) so the timed loop
    /// holds only the code measured. Prints a checksum (so the work is observable) and END.
    /// </summary>
    public static class NanoBench
    {
        public const int Period = 97;
        public const int BareRows = 64;
        public const int BareCols = 32;

        public static void Main()
        {
            try
            {
                int which = BenchCase.Case();
                int steps = BenchCase.Steps();
                long check = Run(which, steps);
                System.Console.WriteLine("CHECK " + which.ToString() + " " + steps.ToString() + " " + check.ToString());
            }
            catch (System.Exception e)
            {
                System.Console.WriteLine("EXCEPTION " + e.GetType().FullName + ": " + e.Message);
            }
            System.Console.WriteLine("END");
        }

        private static long Run(int which, int steps)
        {
            switch (which)
            {
                case 0: return Bare(steps, false);
                case 1: return Bare(steps, true);
                case 2: return Predict(BenchModels.Gru1x16Int16(), steps);
                case 3: return Predict(BenchModels.Lstm3x16Int16(), steps);
                case 4: return Predict(BenchModels.Lstm3x16Int8(), steps);
                case 5: return Predict(BenchModels.Lstm8x32Int16(), steps);
                case 6: return Predict(BenchModels.Lstm8x32Int8(), steps);
                case 7: return Detect(BenchModels.Gru1x16Int16(), steps);
                case 8: return Detect(BenchModels.Lstm3x16Int16(), steps);
                case 9: return Monitor(BenchModels.Lstm3x16Int16(), steps);
            }
            throw new System.ArgumentException("no case " + which.ToString());
        }

        /// <summary>int8 weights × int16 inputs into int32 sums, BareRows × BareCols MACs per step.</summary>
        private static long Bare(int steps, bool unrolled)
        {
            XorShiftRandom random = new XorShiftRandom(7);
            sbyte[] w = new sbyte[BareRows * BareCols];
            for (int i = 0; i < w.Length; i++) w[i] = (sbyte)(random.NextBelow(255) - 127);
            short[] x = new short[BareCols];
            for (int i = 0; i < x.Length; i++) x[i] = (short)(random.NextBelow(65535) - 32767);
            int[] acc = new int[BareRows];
            long check = 0;
            for (int t = 0; t < steps; t++)
            {
                if (unrolled) Unrolled(w, x, acc, BareRows, BareCols);
                else Plain(w, x, acc, BareRows, BareCols);
                check += acc[t & (BareRows - 1)];
            }
            return check;
        }

        private static void Plain(sbyte[] w, short[] x, int[] acc, int rows, int cols)
        {
            for (int r = 0; r < rows; r++)
            {
                int index = r * cols;
                int sum = 0;
                for (int c = 0; c < cols; c++)
                {
                    sum += w[index + c] * x[c];
                }
                acc[r] = sum;
            }
        }

        /// <summary>Four rows × two columns per iteration, as PortableMatVec8 (rows a multiple of 4, cols even).</summary>
        private static void Unrolled(sbyte[] w, short[] x, int[] acc, int rows, int cols)
        {
            for (int r = 0; r < rows; r += 4)
            {
                int i0 = r * cols;
                int i1 = i0 + cols;
                int i2 = i1 + cols;
                int i3 = i2 + cols;
                int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int c = 0; c < cols; c += 2)
                {
                    int a = x[c];
                    int b = x[c + 1];
                    s0 += w[i0 + c] * a + w[i0 + c + 1] * b;
                    s1 += w[i1 + c] * a + w[i1 + c + 1] * b;
                    s2 += w[i2 + c] * a + w[i2 + c + 1] * b;
                    s3 += w[i3 + c] * a + w[i3 + c + 1] * b;
                }
                acc[r] = s0;
                acc[r + 1] = s1;
                acc[r + 2] = s2;
                acc[r + 3] = s3;
            }
        }

        /// <summary>Predictor.Step, one sample per step (what the firmware's loop calls).</summary>
        private static long Predict(byte[] bytes, int steps)
        {
            ModelImage model = ModelImage.Parse(bytes);
            Predictor predictor = new Predictor(model);
            int[][] inputs = Inputs(model.InputCount, model.InputFracBits, false);
            int[] output = new int[model.OutputCount];
            long check = 0;
            int k = 0;
            for (int t = 0; t < steps; t++)
            {
                predictor.Step(inputs[k], output);
                check += output[0];
                if (++k == Period) k = 0;
            }
            return check;
        }

        /// <summary>AnomalyDetector.Update alone (the model's detector), one sample per step.</summary>
        private static long Detect(byte[] bytes, int steps)
        {
            ModelImage model = ModelImage.Parse(bytes);
            AnomalyDetector detector = StreamMonitor.ModelDetector(model);
            int channels = detector.Channels;
            int[][] actual = Inputs(channels, model.OutputFracBits, true);
            int[][] predicted = Inputs(channels, model.OutputFracBits, false);
            long check = 0;
            int k = 0;
            for (int t = 0; t < steps; t++)
            {
                check += detector.Update(actual[k], predicted[k]);
                if (++k == Period) k = 0;
            }
            return check;
        }

        /// <summary>StreamMonitor.Step: the whole per-sample path (normalise, predict, detect).</summary>
        private static long Monitor(byte[] bytes, int steps)
        {
            ModelImage model = ModelImage.Parse(bytes);
            StreamMonitor monitor = new StreamMonitor(model);
            int[][] inputs = Inputs(model.InputCount, model.InputFracBits, true);
            long check = 0;
            int k = 0;
            for (int t = 0; t < steps; t++)
            {
                check += monitor.Step(inputs[k]);
                if (++k == Period) k = 0;
            }
            return check;
        }

        /// <summary>Period samples in about ±2.0 (fixed point), with a spike in the last when <paramref name="spike"/>.</summary>
        private static int[][] Inputs(int width, int fracBits, bool spike)
        {
            XorShiftRandom random = new XorShiftRandom(spike ? 12345u : 54321u);
            int[][] rows = new int[Period][];
            for (int t = 0; t < Period; t++)
            {
                rows[t] = new int[width];
                for (int i = 0; i < width; i++)
                {
                    long milli = random.NextBelow(4001) - 2000;
                    if (spike && t == Period - 1) milli *= 8;
                    rows[t][i] = (int)((milli << fracBits) / 1000);
                }
            }
            return rows;
        }
    }
}
