using Embedded.Shared.Fixed;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// A recurrent layer's weights and row scales reordered unit by unit for the fused portable layers: row
    /// k = gates·j + g holds gate g of hidden unit j (original row g·H + j). int16 rows are copied into one array
    /// per row; int8 rows are packed two gates per 64-bit word (gates 0+1, 2+3; a GRU's gate 2 alone) as
    /// <see cref="PortablePackedMatVec8"/> packs row pairs. Bias[k] is b_ih + b_hh of the row (int addition, so
    /// the same bits as adding the two pre-activations), except a GRU's gate n, whose two parts stay apart
    /// (Bias = b_ih, NRecurrentBias[j] = b_hh).
    /// </summary>
    internal sealed class FusedGateRows
    {
        public short[][] Input16;
        public short[][] Recurrent16;
        public long[][] InputPacked;
        public long[][] RecurrentPacked;
        /// <summary>
        /// hidden = 16: the recurrent rows of each pair of units in one array (int16: the 2·gates rows of units 2p and
        /// 2p + 1 one after another; int8: their 4 packed words' rows), so the written-out products index with
        /// constants and a pair loads one array. Recurrent16 / RecurrentPacked are then null (the same bytes).
        /// </summary>
        public short[][] RecurrentPairs16;
        public long[][] RecurrentPairsPacked;
        /// <summary>One to three inputs: the input rows of each pair of units in one array, as RecurrentPairs16 (a copy: the rows stay for an odd last unit).</summary>
        public short[][] InputPairs16;
        public long[][] InputPairsPacked;
        public int InputCols;
        public int[] Bias;
        public int[] NRecurrentBias;
        public long[] InputMultipliers;
        public int[] InputShifts;
        public long[] InputRounding;
        public long[] RecurrentMultipliers;
        public int[] RecurrentShifts;
        public long[] RecurrentRounding;
        /// <summary>
        /// False when no row's scaled sum can reach ±MaxBias for any int16 input (bounded from the weights at
        /// load), so the step skips RowScale's clamp (which then never changes a value), and the biases could be
        /// folded into the rounding terms (InputRounding[k] includes Bias[k] · 2^shift, RecurrentRounding of a GRU's
        /// gate n row includes NRecurrentBias · 2^shift: ⌊(s·m + r + b·2^shift) / 2^shift⌋ = ⌊(s·m + r) / 2^shift⌋ + b
        /// exactly, when no 64-bit sum can overflow, which is checked at load). When true the step clamps and adds
        /// Bias (and NRecurrentBias) itself, and the rounding terms hold the rounding alone.
        /// </summary>
        public bool MayClamp;

        /// <summary>
        /// The activations as the fused layers read them, the same bits as <see cref="Activation"/> with fewer
        /// instructions: for i &lt; 512, with T = Activation's table and D = Slope[i] = T[i+1] − T[i],
        /// sigmoid(x) for 0 ≤ x &lt; 65536 is (SigmoidPositive[i] + D·(x &amp; 127)) &gt;&gt; 8 with i = x &gt;&gt; 7 and
        /// SigmoidPositive[i] = 128·(32768 + T[i]) + 64 (the interpolation's rounding and the final halving in one
        /// floor division: ⌊⌊y / 128⌋ / 2⌋ = ⌊y / 256⌋); for −65536 &lt; x &lt; 0, with m = −x, it is
        /// (SigmoidNegative[i] − D·(m &amp; 127)) &gt;&gt; 8 with SigmoidNegative[i] = 128·(32768 − T[i]) + 63; beyond,
        /// 32767 or 0 (the table's last segment is flat). tanh(x) for |x| &lt; 32768 is ±((TanhPositive[i] +
        /// D·(|x| &amp; 63)) &gt;&gt; 6) with i = |x| &gt;&gt; 6 and TanhPositive[i] = 64·T[i] + 32; beyond, ±32767.
        /// </summary>
        public static readonly int[] SigmoidPositive = Table(128, 128 * Activation.OneQ15 + 64);
        public static readonly int[] SigmoidNegative = Table(-128, 128 * Activation.OneQ15 + 63);
        public static readonly int[] TanhPositive = Table(64, 32);
        public static readonly short[] Slope = Slopes();

        private static int[] Table(int scale, int offset)
        {
            short[] table = Activation.Table;
            int[] result = new int[512];
            for (int i = 0; i < 512; i++) result[i] = scale * table[i] + offset;
            return result;
        }

        private static short[] Slopes()
        {
            short[] table = Activation.Table;
            short[] result = new short[512];
            for (int i = 0; i < 512; i++) result[i] = (short)(table[i + 1] - table[i]);
            return result;
        }

        /// <summary>Extra bytes the reordered copy of a matrix takes (what <paramref name="maxBytesPerMatrix"/> bounds).</summary>
        public static long CopyBytes(QuantizedMatrix matrix, int hidden, int gates)
        {
            if (matrix.Weights8 != null) return (long)hidden * ((gates + 1) >> 1) * matrix.Cols * 8;
            return (long)matrix.Rows * matrix.Cols * 2;
        }

        /// <summary>The reordered rows, or null when a copy would exceed the budget or the layout is not the expected one.</summary>
        public static FusedGateRows TryCreate(RecurrentLayerParameters parameters, int hidden, int gates, int maxBytesPerMatrix)
        {
            QuantizedMatrix input = parameters.Input;
            QuantizedMatrix recurrent = parameters.Recurrent;
            int rows = gates * hidden;
            if (input.Rows != rows || recurrent.Rows != rows || recurrent.Cols != hidden) return null;
            bool int8 = input.Weights8 != null;
            if (int8 != (recurrent.Weights8 != null)) return null;
            if (!int8 && (input.Weights16 == null || recurrent.Weights16 == null)) return null;
            if (CopyBytes(input, hidden, gates) > maxBytesPerMatrix || CopyBytes(recurrent, hidden, gates) > maxBytesPerMatrix) return null;

            FusedGateRows result = new FusedGateRows();
            result.InputCols = input.Cols;
            if (int8)
            {
                result.InputPacked = Pack(input.Weights8, input.Cols, hidden, gates);
                result.RecurrentPacked = Pack(recurrent.Weights8, hidden, hidden, gates);
            }
            else
            {
                result.Input16 = Copy(input.Weights16, input.Cols, hidden, gates);
                result.Recurrent16 = Copy(recurrent.Weights16, hidden, hidden, gates);
            }
            if (input.Cols <= 3)
            {
                if (int8) result.InputPairsPacked = PairsPacked(result.InputPacked, 4, input.Cols);
                else result.InputPairs16 = Pairs16(result.Input16, 2 * gates, input.Cols);
            }
            if (hidden == 16)
            {
                if (int8)
                {
                    result.RecurrentPairsPacked = PairsPacked(result.RecurrentPacked, 4, hidden);
                    result.RecurrentPacked = null;
                }
                else
                {
                    result.RecurrentPairs16 = Pairs16(result.Recurrent16, 2 * gates, hidden);
                    result.Recurrent16 = null;
                }
            }
            result.Bias = new int[rows];
            result.InputMultipliers = new long[rows];
            result.InputShifts = new int[rows];
            result.InputRounding = new long[rows];
            result.RecurrentMultipliers = new long[rows];
            result.RecurrentShifts = new int[rows];
            result.RecurrentRounding = new long[rows];
            if (gates == 3) result.NRecurrentBias = new int[hidden];
            result.MayClamp = CanClamp(input) || CanClamp(recurrent);
            for (int j = 0; j < hidden; j++)
            {
                for (int g = 0; g < gates; g++)
                {
                    int k = gates * j + g;
                    int r = g * hidden + j;
                    if (gates == 3 && g == 2)
                    {
                        result.Bias[k] = parameters.InputBias[r];
                        result.NRecurrentBias[j] = parameters.RecurrentBias[r];
                    }
                    else
                    {
                        result.Bias[k] = parameters.InputBias[r] + parameters.RecurrentBias[r];
                    }
                    result.InputMultipliers[k] = input.Multipliers[r];
                    result.InputShifts[k] = input.Shifts[r];
                    result.InputRounding[k] = Rounding(input.Shifts[r]);
                    result.RecurrentMultipliers[k] = recurrent.Multipliers[r];
                    result.RecurrentShifts[k] = recurrent.Shifts[r];
                    result.RecurrentRounding[k] = Rounding(recurrent.Shifts[r]);
                }
            }
            if (!result.MayClamp) result.MayClamp = !FoldBiases(result, input, recurrent, hidden, gates);
            return result;
        }

        /// <summary>
        /// Adds each row's bias · 2^shift to its rounding term (see <see cref="MayClamp"/>) when no sum of the step
        /// can leave ±2^62 for any int16 input; false (and nothing changed) otherwise.
        /// </summary>
        private static bool FoldBiases(FusedGateRows rows, QuantizedMatrix input, QuantizedMatrix recurrent, int hidden, int gates)
        {
            int count = gates * hidden;
            long[] inFolded = new long[count];
            long[] recFolded = new long[count];
            for (int j = 0; j < hidden; j++)
            {
                for (int g = 0; g < gates; g++)
                {
                    int k = gates * j + g;
                    int r = g * hidden + j;
                    long recurrentBias = gates == 3 && g == 2 ? rows.NRecurrentBias[j] : 0;
                    if (!Folded(MaxAbsSum(input, r), input.Multipliers[r], rows.InputRounding[k], rows.Bias[k], input.Shifts[r], out inFolded[k])) return false;
                    if (!Folded(MaxAbsSum(recurrent, r), recurrent.Multipliers[r], rows.RecurrentRounding[k], recurrentBias, recurrent.Shifts[r], out recFolded[k])) return false;
                }
            }
            rows.InputRounding = inFolded;
            rows.RecurrentRounding = recFolded;
            return true;
        }

        private static bool Folded(long maxSum, long multiplier, long rounding, long bias, int shift, out long folded)
        {
            folded = 0;
            const long limit = 1L << 62;
            if (shift < 0 || shift > 62 || multiplier < 0 || rounding < 0) return false;
            long absBias = bias < 0 ? -bias : bias;
            if (absBias > (limit >> shift)) return false;
            long biasPart = absBias << shift;
            if (maxSum > 0 && multiplier > (limit - biasPart - rounding) / maxSum) return false;
            folded = rounding + (bias << shift);
            return true;
        }

        /// <summary>Σ|w| · 32768 of a row: a bound on |sum| for any int16 input.</summary>
        private static long MaxAbsSum(QuantizedMatrix matrix, int r)
        {
            int cols = matrix.Cols;
            long absSum = 0;
            for (int c = 0; c < cols; c++)
            {
                int w = matrix.Weights8 != null ? matrix.Weights8[r * cols + c] : matrix.Weights16[r * cols + c];
                absSum += w < 0 ? -w : w;
            }
            return absSum * 32768L;
        }

        /// <summary>Whether RowScale's clamp can act on some row: |sum| &lt;= Σ|w| · 32768, and the scaling is monotone.</summary>
        private static bool CanClamp(QuantizedMatrix matrix)
        {
            const long limit = ModelFormat.MaxBias;
            int cols = matrix.Cols;
            for (int r = 0; r < matrix.Rows; r++)
            {
                long absSum = 0;
                for (int c = 0; c < cols; c++)
                {
                    int w = matrix.Weights8 != null ? matrix.Weights8[r * cols + c] : matrix.Weights16[r * cols + c];
                    absSum += w < 0 ? -w : w;
                }
                long maxSum = absSum * 32768L;
                long multiplier = matrix.Multipliers[r];
                int shift = matrix.Shifts[r];
                if (multiplier < 0 || maxSum > (1L << 47) || shift < 0 || shift > 62) return true;
                long high = (maxSum * multiplier + Rounding(shift)) >> shift;
                long low = (-maxSum * multiplier + Rounding(shift)) >> shift;
                if (high > limit || low < -limit) return true;
            }
            return false;
        }

        private static long Rounding(int shift)
        {
            return shift > 0 ? 1L << (shift - 1) : 0L;
        }

        private static short[][] Copy(short[] weights, int cols, int hidden, int gates)
        {
            short[][] rows = new short[gates * hidden][];
            for (int j = 0; j < hidden; j++)
            {
                for (int g = 0; g < gates; g++)
                {
                    short[] row = new short[cols];
                    System.Array.Copy(weights, (g * hidden + j) * cols, row, 0, cols);
                    rows[gates * j + g] = row;
                }
            }
            return rows;
        }

        private static short[][] Pairs16(short[][] rows, int perPair, int cols)
        {
            short[][] pairs = new short[rows.Length / perPair][];
            for (int p = 0; p < pairs.Length; p++)
            {
                pairs[p] = new short[perPair * cols];
                for (int i = 0; i < perPair; i++) System.Array.Copy(rows[p * perPair + i], 0, pairs[p], i * cols, cols);
            }
            return pairs;
        }

        private static long[][] PairsPacked(long[][] rows, int perPair, int cols)
        {
            long[][] pairs = new long[rows.Length / perPair][];
            for (int p = 0; p < pairs.Length; p++)
            {
                pairs[p] = new long[perPair * cols];
                for (int i = 0; i < perPair; i++) System.Array.Copy(rows[p * perPair + i], 0, pairs[p], i * cols, cols);
            }
            return pairs;
        }

        private static long[][] Pack(sbyte[] weights, int cols, int hidden, int gates)
        {
            int words = (gates + 1) >> 1;
            long[][] packed = new long[words * hidden][];
            for (int j = 0; j < hidden; j++)
            {
                for (int w = 0; w < words; w++)
                {
                    int g = 2 * w;
                    int low = (g * hidden + j) * cols;
                    bool hasHigh = g + 1 < gates;
                    int high = ((g + 1) * hidden + j) * cols;
                    long[] row = new long[cols];
                    for (int c = 0; c < cols; c++)
                    {
                        long value = weights[low + c];
                        if (hasHigh) value += (long)weights[high + c] << 32;
                        row[c] = value;
                    }
                    packed[words * j + w] = row;
                }
            }
            return packed;
        }
    }
}
