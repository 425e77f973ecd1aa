using Embedded.Shared.Fixed;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// <see cref="LstmLayer"/>'s step in one pass per hidden unit, for an IL interpreter (nanoFramework), where
    /// every IL instruction and every call costs: the four gate rows of unit j (i, f, g, o) are multiplied
    /// together (input and recurrent part), requantised, put through the activations (inlined table lookups) and
    /// folded into the cell and the new state at once; no interface call per matrix, no intermediate arrays, no
    /// call per activation. Rows are reordered at load into one array per gate row (int16) or one packed long
    /// array per gate pair (int8, two rows per 64-bit word as <see cref="Kernels.PortablePackedMatVec8"/>), so the
    /// inner loops index with the column alone. Same integer arithmetic as LstmLayer over RowScale and the
    /// portable products: bit for bit the same state and cell.
    /// </summary>
    public sealed class FusedPortableLstmLayer : RecurrentLayer
    {
        private readonly FusedGateRows _rows;
        private readonly short[] _cell;
        private readonly short[] _next;

        private FusedPortableLstmLayer(FusedGateRows rows, int hidden)
            : base(hidden)
        {
            _rows = rows;
            _cell = new short[hidden];
            _next = new short[hidden];
        }

        /// <summary>The fused layer, or null when its copies of the weights would exceed <paramref name="maxBytesPerMatrix"/>.</summary>
        public static FusedPortableLstmLayer TryCreate(RecurrentLayerParameters parameters, int hidden, int maxBytesPerMatrix)
        {
            FusedGateRows rows = FusedGateRows.TryCreate(parameters, hidden, 4, maxBytesPerMatrix);
            return rows == null ? null : new FusedPortableLstmLayer(rows, hidden);
        }

        /// <summary>Cell state c (Q11).</summary>
        public short[] Cell
        {
            get { return _cell; }
        }

        public override void Step(short[] input)
        {
            FusedGateRows rows = _rows;
            short[] h = State;
            short[] next = _next;
            short[] cell = _cell;
            int[] sigPos = FusedGateRows.SigmoidPositive;
            int[] sigNeg = FusedGateRows.SigmoidNegative;
            int[] tanhPos = FusedGateRows.TanhPositive;
            short[] slope = FusedGateRows.Slope;
            int[] bias = rows.Bias;
            long[] inMul = rows.InputMultipliers;
            int[] inShift = rows.InputShifts;
            long[] inRound = rows.InputRounding;
            long[] recMul = rows.RecurrentMultipliers;
            int[] recShift = rows.RecurrentShifts;
            long[] recRound = rows.RecurrentRounding;
            short[][] in16 = rows.Input16;
            short[][] rec16 = rows.Recurrent16;
            long[][] inPacked = rows.InputPacked;
            long[][] recPacked = rows.RecurrentPacked;
            bool packed = inPacked != null;
            int inCols = rows.InputCols;
            int inPairs = inCols & ~1;
            int inQuads = inCols & ~3;
            int hidden = Hidden;
            int hidPairs = hidden & ~1;
            int hidQuads = hidden & ~3;
            bool mayClamp = rows.MayClamp;
            const long limit = ModelFormat.MaxBias;
            // Two hidden units per pass: each input value is read once for 2·gates rows. An odd last unit below.
            int j = 0;
            for (; j + 1 < hidden; j += 2)
            {
                int j1 = j + 1;
                int k = j * 4;
                int k1 = k + 1;
                int k2 = k + 2;
                int k3 = k + 3;
                int k4 = k + 4;
                int k5 = k + 5;
                int k6 = k + 6;
                int k7 = k + 7;
                long a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7;
                if (packed)
                {
                    int word = j << 1;
                    long[] p0 = inPacked[word];
                    long[] p1 = inPacked[word + 1];
                    long[] p2 = inPacked[word + 2];
                    long[] p3 = inPacked[word + 3];
                    long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    int c = 0;
                    for (; c < inQuads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        long x0 = input[c];
                        long x1 = input[d];
                        long x2 = input[e];
                        long x3 = input[f];
                        s0 += p0[c] * x0 + p0[d] * x1 + p0[e] * x2 + p0[f] * x3;
                        s1 += p1[c] * x0 + p1[d] * x1 + p1[e] * x2 + p1[f] * x3;
                        s2 += p2[c] * x0 + p2[d] * x1 + p2[e] * x2 + p2[f] * x3;
                        s3 += p3[c] * x0 + p3[d] * x1 + p3[e] * x2 + p3[f] * x3;
                    }
                    if (c < inPairs)
                    {
                        int d = c + 1;
                        long x0 = input[c];
                        long x1 = input[d];
                        s0 += p0[c] * x0 + p0[d] * x1;
                        s1 += p1[c] * x0 + p1[d] * x1;
                        s2 += p2[c] * x0 + p2[d] * x1;
                        s3 += p3[c] * x0 + p3[d] * x1;
                        c += 2;
                    }
                    if (c < inCols)
                    {
                        long x0 = input[c];
                        s0 += p0[c] * x0;
                        s1 += p1[c] * x0;
                        s2 += p2[c] * x0;
                        s3 += p3[c] * x0;
                    }
                    int low = (int)s0;
                    a0 = low;
                    a1 = (s0 - low) >> 32;
                    low = (int)s1;
                    a2 = low;
                    a3 = (s1 - low) >> 32;
                    low = (int)s2;
                    a4 = low;
                    a5 = (s2 - low) >> 32;
                    low = (int)s3;
                    a6 = low;
                    a7 = (s3 - low) >> 32;
                    p0 = recPacked[word];
                    p1 = recPacked[word + 1];
                    p2 = recPacked[word + 2];
                    p3 = recPacked[word + 3];
                    s0 = 0; s1 = 0; s2 = 0; s3 = 0;
                    c = 0;
                    for (; c < hidQuads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        long x0 = h[c];
                        long x1 = h[d];
                        long x2 = h[e];
                        long x3 = h[f];
                        s0 += p0[c] * x0 + p0[d] * x1 + p0[e] * x2 + p0[f] * x3;
                        s1 += p1[c] * x0 + p1[d] * x1 + p1[e] * x2 + p1[f] * x3;
                        s2 += p2[c] * x0 + p2[d] * x1 + p2[e] * x2 + p2[f] * x3;
                        s3 += p3[c] * x0 + p3[d] * x1 + p3[e] * x2 + p3[f] * x3;
                    }
                    if (c < hidPairs)
                    {
                        int d = c + 1;
                        long x0 = h[c];
                        long x1 = h[d];
                        s0 += p0[c] * x0 + p0[d] * x1;
                        s1 += p1[c] * x0 + p1[d] * x1;
                        s2 += p2[c] * x0 + p2[d] * x1;
                        s3 += p3[c] * x0 + p3[d] * x1;
                        c += 2;
                    }
                    if (c < hidden)
                    {
                        long x0 = h[c];
                        s0 += p0[c] * x0;
                        s1 += p1[c] * x0;
                        s2 += p2[c] * x0;
                        s3 += p3[c] * x0;
                    }
                    low = (int)s0;
                    b0 = low;
                    b1 = (s0 - low) >> 32;
                    low = (int)s1;
                    b2 = low;
                    b3 = (s1 - low) >> 32;
                    low = (int)s2;
                    b4 = low;
                    b5 = (s2 - low) >> 32;
                    low = (int)s3;
                    b6 = low;
                    b7 = (s3 - low) >> 32;
                }
                else
                {
                    short[] w0 = in16[k];
                    short[] w1 = in16[k1];
                    short[] w2 = in16[k2];
                    short[] w3 = in16[k3];
                    short[] w4 = in16[k4];
                    short[] w5 = in16[k5];
                    short[] w6 = in16[k6];
                    short[] w7 = in16[k7];
                    a0 = 0; a1 = 0; a2 = 0; a3 = 0; a4 = 0; a5 = 0; a6 = 0; a7 = 0;
                    int c = 0;
                    for (; c < inQuads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        int x0 = input[c];
                        int x1 = input[d];
                        int x2 = input[e];
                        int x3 = input[f];
                        a0 += (long)(w0[c] * x0 + w0[d] * x1) + (w0[e] * x2 + w0[f] * x3);
                        a1 += (long)(w1[c] * x0 + w1[d] * x1) + (w1[e] * x2 + w1[f] * x3);
                        a2 += (long)(w2[c] * x0 + w2[d] * x1) + (w2[e] * x2 + w2[f] * x3);
                        a3 += (long)(w3[c] * x0 + w3[d] * x1) + (w3[e] * x2 + w3[f] * x3);
                        a4 += (long)(w4[c] * x0 + w4[d] * x1) + (w4[e] * x2 + w4[f] * x3);
                        a5 += (long)(w5[c] * x0 + w5[d] * x1) + (w5[e] * x2 + w5[f] * x3);
                        a6 += (long)(w6[c] * x0 + w6[d] * x1) + (w6[e] * x2 + w6[f] * x3);
                        a7 += (long)(w7[c] * x0 + w7[d] * x1) + (w7[e] * x2 + w7[f] * x3);
                    }
                    if (c < inPairs)
                    {
                        int d = c + 1;
                        int x0 = input[c];
                        int x1 = input[d];
                        a0 += w0[c] * x0 + w0[d] * x1;
                        a1 += w1[c] * x0 + w1[d] * x1;
                        a2 += w2[c] * x0 + w2[d] * x1;
                        a3 += w3[c] * x0 + w3[d] * x1;
                        a4 += w4[c] * x0 + w4[d] * x1;
                        a5 += w5[c] * x0 + w5[d] * x1;
                        a6 += w6[c] * x0 + w6[d] * x1;
                        a7 += w7[c] * x0 + w7[d] * x1;
                        c += 2;
                    }
                    if (c < inCols)
                    {
                        int x0 = input[c];
                        a0 += w0[c] * x0;
                        a1 += w1[c] * x0;
                        a2 += w2[c] * x0;
                        a3 += w3[c] * x0;
                        a4 += w4[c] * x0;
                        a5 += w5[c] * x0;
                        a6 += w6[c] * x0;
                        a7 += w7[c] * x0;
                    }
                    w0 = rec16[k];
                    w1 = rec16[k1];
                    w2 = rec16[k2];
                    w3 = rec16[k3];
                    w4 = rec16[k4];
                    w5 = rec16[k5];
                    w6 = rec16[k6];
                    w7 = rec16[k7];
                    b0 = 0; b1 = 0; b2 = 0; b3 = 0; b4 = 0; b5 = 0; b6 = 0; b7 = 0;
                    c = 0;
                    for (; c < hidQuads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        int x0 = h[c];
                        int x1 = h[d];
                        int x2 = h[e];
                        int x3 = h[f];
                        b0 += (long)(w0[c] * x0 + w0[d] * x1) + (w0[e] * x2 + w0[f] * x3);
                        b1 += (long)(w1[c] * x0 + w1[d] * x1) + (w1[e] * x2 + w1[f] * x3);
                        b2 += (long)(w2[c] * x0 + w2[d] * x1) + (w2[e] * x2 + w2[f] * x3);
                        b3 += (long)(w3[c] * x0 + w3[d] * x1) + (w3[e] * x2 + w3[f] * x3);
                        b4 += (long)(w4[c] * x0 + w4[d] * x1) + (w4[e] * x2 + w4[f] * x3);
                        b5 += (long)(w5[c] * x0 + w5[d] * x1) + (w5[e] * x2 + w5[f] * x3);
                        b6 += (long)(w6[c] * x0 + w6[d] * x1) + (w6[e] * x2 + w6[f] * x3);
                        b7 += (long)(w7[c] * x0 + w7[d] * x1) + (w7[e] * x2 + w7[f] * x3);
                    }
                    if (c < hidPairs)
                    {
                        int d = c + 1;
                        int x0 = h[c];
                        int x1 = h[d];
                        b0 += w0[c] * x0 + w0[d] * x1;
                        b1 += w1[c] * x0 + w1[d] * x1;
                        b2 += w2[c] * x0 + w2[d] * x1;
                        b3 += w3[c] * x0 + w3[d] * x1;
                        b4 += w4[c] * x0 + w4[d] * x1;
                        b5 += w5[c] * x0 + w5[d] * x1;
                        b6 += w6[c] * x0 + w6[d] * x1;
                        b7 += w7[c] * x0 + w7[d] * x1;
                        c += 2;
                    }
                    if (c < hidden)
                    {
                        int x0 = h[c];
                        b0 += w0[c] * x0;
                        b1 += w1[c] * x0;
                        b2 += w2[c] * x0;
                        b3 += w3[c] * x0;
                        b4 += w4[c] * x0;
                        b5 += w5[c] * x0;
                        b6 += w6[c] * x0;
                        b7 += w7[c] * x0;
                    }
                }

                {
                    // Requantise (RowScale: both biases, each scaled part clamped to ±MaxBias) and activate.
                    // Gate i.
                    long u = (a0 * inMul[k] + inRound[k]) >> inShift[k];
                    long v = (b0 * recMul[k] + recRound[k]) >> recShift[k];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k];
                    }
                    int pre = (int)u + (int)v;
                    int inputGate;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            inputGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else inputGate = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        inputGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else inputGate = 0;
                    // Gate f.
                    u = (a1 * inMul[k1] + inRound[k1]) >> inShift[k1];
                    v = (b1 * recMul[k1] + recRound[k1]) >> recShift[k1];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k1];
                    }
                    pre = (int)u + (int)v;
                    int forgetGate;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            forgetGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else forgetGate = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        forgetGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else forgetGate = 0;
                    // Gate g (tanh).
                    u = (a2 * inMul[k2] + inRound[k2]) >> inShift[k2];
                    v = (b2 * recMul[k2] + recRound[k2]) >> recShift[k2];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k2];
                    }
                    pre = (int)u + (int)v;
                    int candidate;
                    if (pre >= 0)
                    {
                        if (pre < 32768)
                        {
                            int index = pre >> 6;
                            candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                        }
                        else candidate = 32767;
                    }
                    else if (pre > -32768)
                    {
                        int m = -pre;
                        int index = m >> 6;
                        candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                    }
                    else candidate = -32767;
                    // Gate o.
                    u = (a3 * inMul[k3] + inRound[k3]) >> inShift[k3];
                    v = (b3 * recMul[k3] + recRound[k3]) >> recShift[k3];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k3];
                    }
                    pre = (int)u + (int)v;
                    int outputGate;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            outputGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else outputGate = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        outputGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else outputGate = 0;

                    // Cell and state, as LstmLayer.
                    int cNew = (forgetGate * cell[j] + ((inputGate * candidate) >> 4) + (1 << 14)) >> 15;
                    if (cNew > 32767) cNew = 32767;
                    else if (cNew < -32768) cNew = -32768;
                    cell[j] = (short)cNew;
                    pre = cNew << 1;
                    int cellTanh;
                    if (pre >= 0)
                    {
                        if (pre < 32768)
                        {
                            int index = pre >> 6;
                            cellTanh = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                        }
                        else cellTanh = 32767;
                    }
                    else if (pre > -32768)
                    {
                        int m = -pre;
                        int index = m >> 6;
                        cellTanh = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                    }
                    else cellTanh = -32767;
                    next[j] = (short)((outputGate * cellTanh + (1 << 14)) >> 15);
                }
                {
                    // Requantise (RowScale: both biases, each scaled part clamped to ±MaxBias) and activate.
                    // Gate i.
                    long u = (a4 * inMul[k4] + inRound[k4]) >> inShift[k4];
                    long v = (b4 * recMul[k4] + recRound[k4]) >> recShift[k4];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k4];
                    }
                    int pre = (int)u + (int)v;
                    int inputGate;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            inputGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else inputGate = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        inputGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else inputGate = 0;
                    // Gate f.
                    u = (a5 * inMul[k5] + inRound[k5]) >> inShift[k5];
                    v = (b5 * recMul[k5] + recRound[k5]) >> recShift[k5];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k5];
                    }
                    pre = (int)u + (int)v;
                    int forgetGate;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            forgetGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else forgetGate = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        forgetGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else forgetGate = 0;
                    // Gate g (tanh).
                    u = (a6 * inMul[k6] + inRound[k6]) >> inShift[k6];
                    v = (b6 * recMul[k6] + recRound[k6]) >> recShift[k6];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k6];
                    }
                    pre = (int)u + (int)v;
                    int candidate;
                    if (pre >= 0)
                    {
                        if (pre < 32768)
                        {
                            int index = pre >> 6;
                            candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                        }
                        else candidate = 32767;
                    }
                    else if (pre > -32768)
                    {
                        int m = -pre;
                        int index = m >> 6;
                        candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                    }
                    else candidate = -32767;
                    // Gate o.
                    u = (a7 * inMul[k7] + inRound[k7]) >> inShift[k7];
                    v = (b7 * recMul[k7] + recRound[k7]) >> recShift[k7];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k7];
                    }
                    pre = (int)u + (int)v;
                    int outputGate;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            outputGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else outputGate = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        outputGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else outputGate = 0;

                    // Cell and state, as LstmLayer.
                    int cNew = (forgetGate * cell[j1] + ((inputGate * candidate) >> 4) + (1 << 14)) >> 15;
                    if (cNew > 32767) cNew = 32767;
                    else if (cNew < -32768) cNew = -32768;
                    cell[j1] = (short)cNew;
                    pre = cNew << 1;
                    int cellTanh;
                    if (pre >= 0)
                    {
                        if (pre < 32768)
                        {
                            int index = pre >> 6;
                            cellTanh = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                        }
                        else cellTanh = 32767;
                    }
                    else if (pre > -32768)
                    {
                        int m = -pre;
                        int index = m >> 6;
                        cellTanh = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                    }
                    else cellTanh = -32767;
                    next[j1] = (short)((outputGate * cellTanh + (1 << 14)) >> 15);
                }
            }
            for (; j < hidden; j++)
            {
                int k = j << 2;
                int k1 = k + 1;
                int k2 = k + 2;
                int k3 = k + 3;
                long a0, a1, a2, a3, b0, b1, b2, b3;
                if (packed)
                {
                    // Two gate rows per 64-bit word: (i, f) and (g, o).
                    long[] p = inPacked[j << 1];
                    long[] q = inPacked[(j << 1) + 1];
                    long s = 0, t = 0;
                    int c = 0;
                    for (; c < inQuads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        long x0 = input[c];
                        long x1 = input[d];
                        long x2 = input[e];
                        long x3 = input[f];
                        s += p[c] * x0 + p[d] * x1 + p[e] * x2 + p[f] * x3;
                        t += q[c] * x0 + q[d] * x1 + q[e] * x2 + q[f] * x3;
                    }
                    if (c < inPairs)
                    {
                        int d = c + 1;
                        long x0 = input[c];
                        long x1 = input[d];
                        s += p[c] * x0 + p[d] * x1;
                        t += q[c] * x0 + q[d] * x1;
                        c += 2;
                    }
                    if (c < inCols)
                    {
                        long x0 = input[c];
                        s += p[c] * x0;
                        t += q[c] * x0;
                    }
                    int low = (int)s;
                    a0 = low;
                    a1 = (s - low) >> 32;
                    low = (int)t;
                    a2 = low;
                    a3 = (t - low) >> 32;
                    p = recPacked[j << 1];
                    q = recPacked[(j << 1) + 1];
                    s = 0;
                    t = 0;
                    c = 0;
                    for (; c < hidQuads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        long x0 = h[c];
                        long x1 = h[d];
                        long x2 = h[e];
                        long x3 = h[f];
                        s += p[c] * x0 + p[d] * x1 + p[e] * x2 + p[f] * x3;
                        t += q[c] * x0 + q[d] * x1 + q[e] * x2 + q[f] * x3;
                    }
                    if (c < hidPairs)
                    {
                        int d = c + 1;
                        long x0 = h[c];
                        long x1 = h[d];
                        s += p[c] * x0 + p[d] * x1;
                        t += q[c] * x0 + q[d] * x1;
                        c += 2;
                    }
                    if (c < hidden)
                    {
                        long x0 = h[c];
                        s += p[c] * x0;
                        t += q[c] * x0;
                    }
                    low = (int)s;
                    b0 = low;
                    b1 = (s - low) >> 32;
                    low = (int)t;
                    b2 = low;
                    b3 = (t - low) >> 32;
                }
                else
                {
                    // int16 × int16: two products (each under 2^30) fit an int, summed into longs pair by pair as PortableMatVec16.
                    short[] w0 = in16[k];
                    short[] w1 = in16[k1];
                    short[] w2 = in16[k2];
                    short[] w3 = in16[k3];
                    a0 = 0; a1 = 0; a2 = 0; a3 = 0;
                    int c = 0;
                    for (; c < inQuads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        int x0 = input[c];
                        int x1 = input[d];
                        int x2 = input[e];
                        int x3 = input[f];
                        a0 += (long)(w0[c] * x0 + w0[d] * x1) + (w0[e] * x2 + w0[f] * x3);
                        a1 += (long)(w1[c] * x0 + w1[d] * x1) + (w1[e] * x2 + w1[f] * x3);
                        a2 += (long)(w2[c] * x0 + w2[d] * x1) + (w2[e] * x2 + w2[f] * x3);
                        a3 += (long)(w3[c] * x0 + w3[d] * x1) + (w3[e] * x2 + w3[f] * x3);
                    }
                    if (c < inPairs)
                    {
                        int d = c + 1;
                        int x0 = input[c];
                        int x1 = input[d];
                        a0 += w0[c] * x0 + w0[d] * x1;
                        a1 += w1[c] * x0 + w1[d] * x1;
                        a2 += w2[c] * x0 + w2[d] * x1;
                        a3 += w3[c] * x0 + w3[d] * x1;
                        c += 2;
                    }
                    if (c < inCols)
                    {
                        int x0 = input[c];
                        a0 += w0[c] * x0;
                        a1 += w1[c] * x0;
                        a2 += w2[c] * x0;
                        a3 += w3[c] * x0;
                    }
                    w0 = rec16[k];
                    w1 = rec16[k1];
                    w2 = rec16[k2];
                    w3 = rec16[k3];
                    b0 = 0; b1 = 0; b2 = 0; b3 = 0;
                    c = 0;
                    for (; c < hidQuads; c += 4)
                    {
                        int d = c + 1;
                        int e = c + 2;
                        int f = c + 3;
                        int x0 = h[c];
                        int x1 = h[d];
                        int x2 = h[e];
                        int x3 = h[f];
                        b0 += (long)(w0[c] * x0 + w0[d] * x1) + (w0[e] * x2 + w0[f] * x3);
                        b1 += (long)(w1[c] * x0 + w1[d] * x1) + (w1[e] * x2 + w1[f] * x3);
                        b2 += (long)(w2[c] * x0 + w2[d] * x1) + (w2[e] * x2 + w2[f] * x3);
                        b3 += (long)(w3[c] * x0 + w3[d] * x1) + (w3[e] * x2 + w3[f] * x3);
                    }
                    if (c < hidPairs)
                    {
                        int d = c + 1;
                        int x0 = h[c];
                        int x1 = h[d];
                        b0 += w0[c] * x0 + w0[d] * x1;
                        b1 += w1[c] * x0 + w1[d] * x1;
                        b2 += w2[c] * x0 + w2[d] * x1;
                        b3 += w3[c] * x0 + w3[d] * x1;
                        c += 2;
                    }
                    if (c < hidden)
                    {
                        int x0 = h[c];
                        b0 += w0[c] * x0;
                        b1 += w1[c] * x0;
                        b2 += w2[c] * x0;
                        b3 += w3[c] * x0;
                    }
                }

                // Requantise (RowScale: both biases, each scaled part clamped to ±MaxBias) and activate.
                // Gate i.
                long u = (a0 * inMul[k] + inRound[k]) >> inShift[k];
                long v = (b0 * recMul[k] + recRound[k]) >> recShift[k];
                if (mayClamp)
                {
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k];
                }
                int pre = (int)u + (int)v;
                int inputGate;
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        int index = pre >> 7;
                        inputGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else inputGate = 32767;
                }
                else if (pre > -65536)
                {
                    int m = -pre;
                    int index = m >> 7;
                    inputGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else inputGate = 0;
                // Gate f.
                u = (a1 * inMul[k1] + inRound[k1]) >> inShift[k1];
                v = (b1 * recMul[k1] + recRound[k1]) >> recShift[k1];
                if (mayClamp)
                {
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k1];
                }
                pre = (int)u + (int)v;
                int forgetGate;
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        int index = pre >> 7;
                        forgetGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else forgetGate = 32767;
                }
                else if (pre > -65536)
                {
                    int m = -pre;
                    int index = m >> 7;
                    forgetGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else forgetGate = 0;
                // Gate g (tanh).
                u = (a2 * inMul[k2] + inRound[k2]) >> inShift[k2];
                v = (b2 * recMul[k2] + recRound[k2]) >> recShift[k2];
                if (mayClamp)
                {
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k2];
                }
                pre = (int)u + (int)v;
                int candidate;
                if (pre >= 0)
                {
                    if (pre < 32768)
                    {
                        int index = pre >> 6;
                        candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                    }
                    else candidate = 32767;
                }
                else if (pre > -32768)
                {
                    int m = -pre;
                    int index = m >> 6;
                    candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                }
                else candidate = -32767;
                // Gate o.
                u = (a3 * inMul[k3] + inRound[k3]) >> inShift[k3];
                v = (b3 * recMul[k3] + recRound[k3]) >> recShift[k3];
                if (mayClamp)
                {
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k3];
                }
                pre = (int)u + (int)v;
                int outputGate;
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        int index = pre >> 7;
                        outputGate = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else outputGate = 32767;
                }
                else if (pre > -65536)
                {
                    int m = -pre;
                    int index = m >> 7;
                    outputGate = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else outputGate = 0;

                // Cell and state, as LstmLayer.
                int cNew = (forgetGate * cell[j] + ((inputGate * candidate) >> 4) + (1 << 14)) >> 15;
                if (cNew > 32767) cNew = 32767;
                else if (cNew < -32768) cNew = -32768;
                cell[j] = (short)cNew;
                pre = cNew << 1;
                int cellTanh;
                if (pre >= 0)
                {
                    if (pre < 32768)
                    {
                        int index = pre >> 6;
                        cellTanh = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                    }
                    else cellTanh = 32767;
                }
                else if (pre > -32768)
                {
                    int m = -pre;
                    int index = m >> 6;
                    cellTanh = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                }
                else cellTanh = -32767;
                next[j] = (short)((outputGate * cellTanh + (1 << 14)) >> 15);
            }
            System.Array.Copy(next, 0, h, 0, hidden);
        }

        public override void Reset()
        {
            base.Reset();
            System.Array.Clear(_cell, 0, _cell.Length);
        }
    }
}
