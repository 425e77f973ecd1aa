using Embedded.Shared.Fixed;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// <see cref="GruLayer"/>'s step in one pass per hidden unit (see <see cref="FusedPortableLstmLayer"/>): the
    /// three gate rows of unit j (r, z, n) are multiplied, requantised, activated and folded into the new state at
    /// once. int8 rows are packed (r, z) and (n alone) per 64-bit word. Bit for bit GruLayer's result. The same
    /// shortcuts as the fused LSTM (activation tables, folded biases, hidden = 16 and one to three inputs written out).
    /// </summary>
    public sealed class FusedPortableGruLayer : RecurrentLayer
    {
        private readonly FusedGateRows _rows;
        private readonly short[] _next;

        private FusedPortableGruLayer(FusedGateRows rows, int hidden)
            : base(hidden)
        {
            _rows = rows;
            _next = new short[hidden];
        }

        /// <summary>The fused layer, or null when its copies of the weights would exceed <paramref name="maxBytesPerMatrix"/>.</summary>
        public static FusedPortableGruLayer TryCreate(RecurrentLayerParameters parameters, int hidden, int maxBytesPerMatrix)
        {
            FusedGateRows rows = FusedGateRows.TryCreate(parameters, hidden, 3, maxBytesPerMatrix);
            return rows == null ? null : new FusedPortableGruLayer(rows, hidden);
        }

        public override void Step(short[] input)
        {
            // One method per weight form: fewer locals each (nanoCLR allows 255 and sets them all up per call).
            if (_rows.InputPacked != null) StepPacked(input);
            else StepWide(input);
        }

        /// <summary>The step with int8 rows packed two per 64-bit word.</summary>
        private void StepPacked(short[] input)
        {
            FusedGateRows rows = _rows;
            short[] h = State;
            short[] next = _next;
            int[] sigPos = FusedGateRows.SigmoidPositive;
            int[] sigNeg = FusedGateRows.SigmoidNegative;
            int[] tanhPos = FusedGateRows.TanhPositive;
            short[] slope = FusedGateRows.Slope;
            int[] bias = rows.Bias;
            int[] nRecBias = rows.NRecurrentBias;
            long[] inMul = rows.InputMultipliers;
            int[] inShift = rows.InputShifts;
            long[] inRound = rows.InputRounding;
            long[] recMul = rows.RecurrentMultipliers;
            int[] recShift = rows.RecurrentShifts;
            long[] recRound = rows.RecurrentRounding;
            long[][] inPacked = rows.InputPacked;
            long[][] inPairsPacked = rows.InputPairsPacked;
            long[][] recPacked = rows.RecurrentPacked;
            long[][] recPairsPacked = rows.RecurrentPairsPacked;
            int inCols = rows.InputCols;
            int inPairs = inCols & ~1;
            int inQuads = inCols & ~3;
            int hidden = Hidden;
            int hidPairs = hidden & ~1;
            int hidQuads = hidden & ~3;
            bool mayClamp = rows.MayClamp;
            const long limit = ModelFormat.MaxBias;
            int index, m;
            // Every local declared once here: nanoCLR sets up each declared slot per call (and allows 255).
            int j1, k, k1, k2, k3, k4, k5, word, c, d, e, f, low, pre, reset, update;
            int recurrentPart, gated, candidate, previous;
            long a0, a1, a2, a3, a4, a5, b0, b1, b2, b3, b4, b5, s0, s1, s2, s3;
            long x0, x1, x2, x3, u, v, s, t;
            long[] p0, p1, p2, p3, p, q;
            // hidden = 16 (the usual forecaster): the state read once per step into locals (int for the int16 rows,
            // long for the packed ones) and the recurrent products written out column by column: no column loop,
            // no index arithmetic, no reload of h per pair of units. The same exact sums (int16: pairs of columns in
            // an int, added into a long, as the loop).
            long l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0, l9 = 0, l10 = 0, l11 = 0, l12 = 0, l13 = 0, l14 = 0, l15 = 0;
            if (hidden == 16)
            {
                {
                    l0 = h[0];
                    l1 = h[1];
                    l2 = h[2];
                    l3 = h[3];
                    l4 = h[4];
                    l5 = h[5];
                    l6 = h[6];
                    l7 = h[7];
                    l8 = h[8];
                    l9 = h[9];
                    l10 = h[10];
                    l11 = h[11];
                    l12 = h[12];
                    l13 = h[13];
                    l14 = h[14];
                    l15 = h[15];
                }
            }
            // One to three inputs (a few sensor channels): read once per step into locals, products written out.
            long i0 = 0, i1 = 0, i2 = 0;
            if (inCols > 0) i0 = input[0];
            if (inCols > 1) i1 = input[1];
            if (inCols > 2) i2 = input[2];
            // Two hidden units per pass: each input value is read once for 2·gates rows. An odd last unit below.
            int j = 0;
            for (; j + 1 < hidden; j += 2)
            {
                j1 = j + 1;
                k = j * 3;
                k1 = k + 1;
                k2 = k + 2;
                k3 = k + 3;
                k4 = k + 4;
                k5 = k + 5;
                {
                    word = j << 1;
                    if (inCols == 1)
                    {
                        p0 = inPairsPacked[j >> 1];
                        s0 = p0[0] * i0;
                        s1 = p0[1] * i0;
                        s2 = p0[2] * i0;
                        s3 = p0[3] * i0;
                    }
                    else if (inCols == 2)
                    {
                        p0 = inPairsPacked[j >> 1];
                        s0 = p0[0] * i0 + p0[1] * i1;
                        s1 = p0[2] * i0 + p0[3] * i1;
                        s2 = p0[4] * i0 + p0[5] * i1;
                        s3 = p0[6] * i0 + p0[7] * i1;
                    }
                    else if (inCols == 3)
                    {
                        p0 = inPairsPacked[j >> 1];
                        s0 = p0[0] * i0 + p0[1] * i1 + p0[2] * i2;
                        s1 = p0[3] * i0 + p0[4] * i1 + p0[5] * i2;
                        s2 = p0[6] * i0 + p0[7] * i1 + p0[8] * i2;
                        s3 = p0[9] * i0 + p0[10] * i1 + p0[11] * i2;
                    }
                    else
                    {
                        p0 = inPacked[word];
                        p1 = inPacked[word + 1];
                        p2 = inPacked[word + 2];
                        p3 = inPacked[word + 3];
                        s0 = 0; s1 = 0; s2 = 0; s3 = 0;
                        c = 0;
                        for (; c < inQuads; c += 4)
                        {
                            d = c + 1;
                            e = c + 2;
                            f = c + 3;
                            x0 = input[c];
                            x1 = input[d];
                            x2 = input[e];
                            x3 = input[f];
                            s0 += p0[c] * x0 + p0[d] * x1 + p0[e] * x2 + p0[f] * x3;
                            s1 += p1[c] * x0 + p1[d] * x1 + p1[e] * x2 + p1[f] * x3;
                            s2 += p2[c] * x0 + p2[d] * x1 + p2[e] * x2 + p2[f] * x3;
                            s3 += p3[c] * x0 + p3[d] * x1 + p3[e] * x2 + p3[f] * x3;
                        }
                        if (c < inPairs)
                        {
                            d = c + 1;
                            x0 = input[c];
                            x1 = input[d];
                            s0 += p0[c] * x0 + p0[d] * x1;
                            s1 += p1[c] * x0 + p1[d] * x1;
                            s2 += p2[c] * x0 + p2[d] * x1;
                            s3 += p3[c] * x0 + p3[d] * x1;
                            c += 2;
                        }
                        if (c < inCols)
                        {
                            x0 = input[c];
                            s0 += p0[c] * x0;
                            s1 += p1[c] * x0;
                            s2 += p2[c] * x0;
                            s3 += p3[c] * x0;
                        }
                    }
                    low = (int)s0;
                    a0 = low;
                    a1 = (s0 - low) >> 32;
                    a2 = (int)s1;
                    low = (int)s2;
                    a3 = low;
                    a4 = (s2 - low) >> 32;
                    a5 = (int)s3;
                    if (hidden == 16)
                    {
                        p0 = recPairsPacked[j >> 1];
                        s0 = p0[0] * l0 + p0[1] * l1 + p0[2] * l2 + p0[3] * l3 + p0[4] * l4 + p0[5] * l5 + p0[6] * l6 + p0[7] * l7 + p0[8] * l8 + p0[9] * l9 + p0[10] * l10 + p0[11] * l11 + p0[12] * l12 + p0[13] * l13 + p0[14] * l14 + p0[15] * l15;
                        s1 = p0[16] * l0 + p0[17] * l1 + p0[18] * l2 + p0[19] * l3 + p0[20] * l4 + p0[21] * l5 + p0[22] * l6 + p0[23] * l7 + p0[24] * l8 + p0[25] * l9 + p0[26] * l10 + p0[27] * l11 + p0[28] * l12 + p0[29] * l13 + p0[30] * l14 + p0[31] * l15;
                        s2 = p0[32] * l0 + p0[33] * l1 + p0[34] * l2 + p0[35] * l3 + p0[36] * l4 + p0[37] * l5 + p0[38] * l6 + p0[39] * l7 + p0[40] * l8 + p0[41] * l9 + p0[42] * l10 + p0[43] * l11 + p0[44] * l12 + p0[45] * l13 + p0[46] * l14 + p0[47] * l15;
                        s3 = p0[48] * l0 + p0[49] * l1 + p0[50] * l2 + p0[51] * l3 + p0[52] * l4 + p0[53] * l5 + p0[54] * l6 + p0[55] * l7 + p0[56] * l8 + p0[57] * l9 + p0[58] * l10 + p0[59] * l11 + p0[60] * l12 + p0[61] * l13 + p0[62] * l14 + p0[63] * l15;
                    }
                    else
                    {
                        p0 = recPacked[word];
                        p1 = recPacked[word + 1];
                        p2 = recPacked[word + 2];
                        p3 = recPacked[word + 3];
                        s0 = 0; s1 = 0; s2 = 0; s3 = 0;
                        c = 0;
                        for (; c < hidQuads; c += 4)
                        {
                            d = c + 1;
                            e = c + 2;
                            f = c + 3;
                            x0 = h[c];
                            x1 = h[d];
                            x2 = h[e];
                            x3 = h[f];
                            s0 += p0[c] * x0 + p0[d] * x1 + p0[e] * x2 + p0[f] * x3;
                            s1 += p1[c] * x0 + p1[d] * x1 + p1[e] * x2 + p1[f] * x3;
                            s2 += p2[c] * x0 + p2[d] * x1 + p2[e] * x2 + p2[f] * x3;
                            s3 += p3[c] * x0 + p3[d] * x1 + p3[e] * x2 + p3[f] * x3;
                        }
                        if (c < hidPairs)
                        {
                            d = c + 1;
                            x0 = h[c];
                            x1 = h[d];
                            s0 += p0[c] * x0 + p0[d] * x1;
                            s1 += p1[c] * x0 + p1[d] * x1;
                            s2 += p2[c] * x0 + p2[d] * x1;
                            s3 += p3[c] * x0 + p3[d] * x1;
                            c += 2;
                        }
                        if (c < hidden)
                        {
                            x0 = h[c];
                            s0 += p0[c] * x0;
                            s1 += p1[c] * x0;
                            s2 += p2[c] * x0;
                            s3 += p3[c] * x0;
                        }
                    }
                    low = (int)s0;
                    b0 = low;
                    b1 = (s0 - low) >> 32;
                    b2 = (int)s1;
                    low = (int)s2;
                    b3 = low;
                    b4 = (s2 - low) >> 32;
                    b5 = (int)s3;
                }

                {
                    // Gate r (sigmoid of both parts).
                    if (mayClamp)
                    {
                        u = (a0 * inMul[k] + inRound[k]) >> inShift[k];
                        v = (b0 * recMul[k] + recRound[k]) >> recShift[k];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k];
                        pre = (int)u + (int)v;
                    }
                    else pre = (int)((a0 * inMul[k] + inRound[k]) >> inShift[k]) + (int)((b0 * recMul[k] + recRound[k]) >> recShift[k]);
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            index = pre >> 7;
                            reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else reset = 32767;
                    }
                    else if (pre > -65536)
                    {
                        m = -pre;
                        index = m >> 7;
                        reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else reset = 0;
                    // Gate z.
                    if (mayClamp)
                    {
                        u = (a1 * inMul[k1] + inRound[k1]) >> inShift[k1];
                        v = (b1 * recMul[k1] + recRound[k1]) >> recShift[k1];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k1];
                        pre = (int)u + (int)v;
                    }
                    else pre = (int)((a1 * inMul[k1] + inRound[k1]) >> inShift[k1]) + (int)((b1 * recMul[k1] + recRound[k1]) >> recShift[k1]);
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            index = pre >> 7;
                            update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else update = 32767;
                    }
                    else if (pre > -65536)
                    {
                        m = -pre;
                        index = m >> 7;
                        update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else update = 0;
                    // Gate n: tanh(input part + r * recurrent part).
                    if (mayClamp)
                    {
                        u = (a2 * inMul[k2] + inRound[k2]) >> inShift[k2];
                        v = (b2 * recMul[k2] + recRound[k2]) >> recShift[k2];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k2];
                        v += nRecBias[j];
                        recurrentPart = (int)v;
                        gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                        pre = (int)u + gated;
                    }
                    else
                    {
                        recurrentPart = (int)((b2 * recMul[k2] + recRound[k2]) >> recShift[k2]);
                        gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                        pre = (int)((a2 * inMul[k2] + inRound[k2]) >> inShift[k2]) + gated;
                    }
                    if (pre >= 0)
                    {
                        if (pre < 32768)
                        {
                            index = pre >> 6;
                            candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                        }
                        else candidate = 32767;
                    }
                    else if (pre > -32768)
                    {
                        m = -pre;
                        index = m >> 6;
                        candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                    }
                    else candidate = -32767;
                    previous = h[j];
                    next[j] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
                }
                {
                    // Gate r (sigmoid of both parts).
                    if (mayClamp)
                    {
                        u = (a3 * inMul[k3] + inRound[k3]) >> inShift[k3];
                        v = (b3 * recMul[k3] + recRound[k3]) >> recShift[k3];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k3];
                        pre = (int)u + (int)v;
                    }
                    else pre = (int)((a3 * inMul[k3] + inRound[k3]) >> inShift[k3]) + (int)((b3 * recMul[k3] + recRound[k3]) >> recShift[k3]);
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            index = pre >> 7;
                            reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else reset = 32767;
                    }
                    else if (pre > -65536)
                    {
                        m = -pre;
                        index = m >> 7;
                        reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else reset = 0;
                    // Gate z.
                    if (mayClamp)
                    {
                        u = (a4 * inMul[k4] + inRound[k4]) >> inShift[k4];
                        v = (b4 * recMul[k4] + recRound[k4]) >> recShift[k4];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k4];
                        pre = (int)u + (int)v;
                    }
                    else pre = (int)((a4 * inMul[k4] + inRound[k4]) >> inShift[k4]) + (int)((b4 * recMul[k4] + recRound[k4]) >> recShift[k4]);
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            index = pre >> 7;
                            update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else update = 32767;
                    }
                    else if (pre > -65536)
                    {
                        m = -pre;
                        index = m >> 7;
                        update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else update = 0;
                    // Gate n: tanh(input part + r * recurrent part).
                    if (mayClamp)
                    {
                        u = (a5 * inMul[k5] + inRound[k5]) >> inShift[k5];
                        v = (b5 * recMul[k5] + recRound[k5]) >> recShift[k5];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k5];
                        v += nRecBias[j1];
                        recurrentPart = (int)v;
                        gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                        pre = (int)u + gated;
                    }
                    else
                    {
                        recurrentPart = (int)((b5 * recMul[k5] + recRound[k5]) >> recShift[k5]);
                        gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                        pre = (int)((a5 * inMul[k5] + inRound[k5]) >> inShift[k5]) + gated;
                    }
                    if (pre >= 0)
                    {
                        if (pre < 32768)
                        {
                            index = pre >> 6;
                            candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                        }
                        else candidate = 32767;
                    }
                    else if (pre > -32768)
                    {
                        m = -pre;
                        index = m >> 6;
                        candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                    }
                    else candidate = -32767;
                    previous = h[j1];
                    next[j1] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
                }
            }
            for (; j < hidden; j++)
            {
                k = j * 3;
                k1 = k + 1;
                k2 = k + 2;
                {
                    // Two gate rows per 64-bit word: (r, z) and (n alone).
                    p = inPacked[j << 1];
                    q = inPacked[(j << 1) + 1];
                    s = 0; t = 0;
                    c = 0;
                    for (; c < inQuads; c += 4)
                    {
                        d = c + 1;
                        e = c + 2;
                        f = c + 3;
                        x0 = input[c];
                        x1 = input[d];
                        x2 = input[e];
                        x3 = input[f];
                        s += p[c] * x0 + p[d] * x1 + p[e] * x2 + p[f] * x3;
                        t += q[c] * x0 + q[d] * x1 + q[e] * x2 + q[f] * x3;
                    }
                    if (c < inPairs)
                    {
                        d = c + 1;
                        x0 = input[c];
                        x1 = input[d];
                        s += p[c] * x0 + p[d] * x1;
                        t += q[c] * x0 + q[d] * x1;
                        c += 2;
                    }
                    if (c < inCols)
                    {
                        x0 = input[c];
                        s += p[c] * x0;
                        t += q[c] * x0;
                    }
                    low = (int)s;
                    a0 = low;
                    a1 = (s - low) >> 32;
                    a2 = (int)t;
                    p = recPacked[j << 1];
                    q = recPacked[(j << 1) + 1];
                    s = 0;
                    t = 0;
                    c = 0;
                    for (; c < hidQuads; c += 4)
                    {
                        d = c + 1;
                        e = c + 2;
                        f = c + 3;
                        x0 = h[c];
                        x1 = h[d];
                        x2 = h[e];
                        x3 = h[f];
                        s += p[c] * x0 + p[d] * x1 + p[e] * x2 + p[f] * x3;
                        t += q[c] * x0 + q[d] * x1 + q[e] * x2 + q[f] * x3;
                    }
                    if (c < hidPairs)
                    {
                        d = c + 1;
                        x0 = h[c];
                        x1 = h[d];
                        s += p[c] * x0 + p[d] * x1;
                        t += q[c] * x0 + q[d] * x1;
                        c += 2;
                    }
                    if (c < hidden)
                    {
                        x0 = h[c];
                        s += p[c] * x0;
                        t += q[c] * x0;
                    }
                    low = (int)s;
                    b0 = low;
                    b1 = (s - low) >> 32;
                    b2 = (int)t;
                }

                // Gate r (sigmoid of both parts).
                if (mayClamp)
                {
                    u = (a0 * inMul[k] + inRound[k]) >> inShift[k];
                    v = (b0 * recMul[k] + recRound[k]) >> recShift[k];
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k];
                    pre = (int)u + (int)v;
                }
                else pre = (int)((a0 * inMul[k] + inRound[k]) >> inShift[k]) + (int)((b0 * recMul[k] + recRound[k]) >> recShift[k]);
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        index = pre >> 7;
                        reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else reset = 32767;
                }
                else if (pre > -65536)
                {
                    m = -pre;
                    index = m >> 7;
                    reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else reset = 0;
                // Gate z.
                if (mayClamp)
                {
                    u = (a1 * inMul[k1] + inRound[k1]) >> inShift[k1];
                    v = (b1 * recMul[k1] + recRound[k1]) >> recShift[k1];
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k1];
                    pre = (int)u + (int)v;
                }
                else pre = (int)((a1 * inMul[k1] + inRound[k1]) >> inShift[k1]) + (int)((b1 * recMul[k1] + recRound[k1]) >> recShift[k1]);
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        index = pre >> 7;
                        update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else update = 32767;
                }
                else if (pre > -65536)
                {
                    m = -pre;
                    index = m >> 7;
                    update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else update = 0;
                // Gate n: tanh(input part + r * recurrent part).
                if (mayClamp)
                {
                    u = (a2 * inMul[k2] + inRound[k2]) >> inShift[k2];
                    v = (b2 * recMul[k2] + recRound[k2]) >> recShift[k2];
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k2];
                    v += nRecBias[j];
                    recurrentPart = (int)v;
                    gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                    pre = (int)u + gated;
                }
                else
                {
                    recurrentPart = (int)((b2 * recMul[k2] + recRound[k2]) >> recShift[k2]);
                    gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                    pre = (int)((a2 * inMul[k2] + inRound[k2]) >> inShift[k2]) + gated;
                }
                if (pre >= 0)
                {
                    if (pre < 32768)
                    {
                        index = pre >> 6;
                        candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                    }
                    else candidate = 32767;
                }
                else if (pre > -32768)
                {
                    m = -pre;
                    index = m >> 6;
                    candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                }
                else candidate = -32767;
                previous = h[j];
                next[j] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
            }
            System.Array.Copy(next, 0, h, 0, hidden);
        }

        /// <summary>The step with int16 rows.</summary>
        private void StepWide(short[] input)
        {
            FusedGateRows rows = _rows;
            short[] h = State;
            short[] next = _next;
            int[] sigPos = FusedGateRows.SigmoidPositive;
            int[] sigNeg = FusedGateRows.SigmoidNegative;
            int[] tanhPos = FusedGateRows.TanhPositive;
            short[] slope = FusedGateRows.Slope;
            int[] bias = rows.Bias;
            int[] nRecBias = rows.NRecurrentBias;
            long[] inMul = rows.InputMultipliers;
            int[] inShift = rows.InputShifts;
            long[] inRound = rows.InputRounding;
            long[] recMul = rows.RecurrentMultipliers;
            int[] recShift = rows.RecurrentShifts;
            long[] recRound = rows.RecurrentRounding;
            short[][] in16 = rows.Input16;
            short[][] inPairs16 = rows.InputPairs16;
            short[][] rec16 = rows.Recurrent16;
            short[][] recPairs16 = rows.RecurrentPairs16;
            int inCols = rows.InputCols;
            int inPairs = inCols & ~1;
            int inQuads = inCols & ~3;
            int hidden = Hidden;
            int hidPairs = hidden & ~1;
            int hidQuads = hidden & ~3;
            bool mayClamp = rows.MayClamp;
            const long limit = ModelFormat.MaxBias;
            int index, m;
            // Every local declared once here: nanoCLR sets up each declared slot per call (and allows 255).
            int j1, k, k1, k2, k3, k4, k5, c, d, e, f, x0, x1, x2, x3, pre;
            int reset, update, recurrentPart, gated, candidate, previous;
            long a0, a1, a2, a3, a4, a5, b0, b1, b2, b3, b4, b5, u, v;
            short[] w0, w1, w2, w3, w4, w5;
            // hidden = 16 (the usual forecaster): the state read once per step into locals (int for the int16 rows,
            // long for the packed ones) and the recurrent products written out column by column: no column loop,
            // no index arithmetic, no reload of h per pair of units. The same exact sums (int16: pairs of columns in
            // an int, added into a long, as the loop).
            int h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0, h8 = 0, h9 = 0, h10 = 0, h11 = 0, h12 = 0, h13 = 0, h14 = 0, h15 = 0;
            if (hidden == 16)
            {
                {
                    h0 = h[0];
                    h1 = h[1];
                    h2 = h[2];
                    h3 = h[3];
                    h4 = h[4];
                    h5 = h[5];
                    h6 = h[6];
                    h7 = h[7];
                    h8 = h[8];
                    h9 = h[9];
                    h10 = h[10];
                    h11 = h[11];
                    h12 = h[12];
                    h13 = h[13];
                    h14 = h[14];
                    h15 = h[15];
                }
            }
            // One to three inputs (a few sensor channels): read once per step into locals, products written out.
            int i0 = 0, i1 = 0, i2 = 0;
            if (inCols > 0) i0 = input[0];
            if (inCols > 1) i1 = input[1];
            if (inCols > 2) i2 = input[2];
            // Two hidden units per pass: each input value is read once for 2·gates rows. An odd last unit below.
            int j = 0;
            for (; j + 1 < hidden; j += 2)
            {
                j1 = j + 1;
                k = j * 3;
                k1 = k + 1;
                k2 = k + 2;
                k3 = k + 3;
                k4 = k + 4;
                k5 = k + 5;
                {
                    if (inCols == 1)
                    {
                        w0 = inPairs16[j >> 1];
                        a0 = w0[0] * i0;
                        a1 = w0[1] * i0;
                        a2 = w0[2] * i0;
                        a3 = w0[3] * i0;
                        a4 = w0[4] * i0;
                        a5 = w0[5] * i0;
                    }
                    else if (inCols == 2)
                    {
                        w0 = inPairs16[j >> 1];
                        a0 = (long)(w0[0] * i0 + w0[1] * i1);
                        a1 = (long)(w0[2] * i0 + w0[3] * i1);
                        a2 = (long)(w0[4] * i0 + w0[5] * i1);
                        a3 = (long)(w0[6] * i0 + w0[7] * i1);
                        a4 = (long)(w0[8] * i0 + w0[9] * i1);
                        a5 = (long)(w0[10] * i0 + w0[11] * i1);
                    }
                    else if (inCols == 3)
                    {
                        w0 = inPairs16[j >> 1];
                        a0 = (long)(w0[0] * i0 + w0[1] * i1) + w0[2] * i2;
                        a1 = (long)(w0[3] * i0 + w0[4] * i1) + w0[5] * i2;
                        a2 = (long)(w0[6] * i0 + w0[7] * i1) + w0[8] * i2;
                        a3 = (long)(w0[9] * i0 + w0[10] * i1) + w0[11] * i2;
                        a4 = (long)(w0[12] * i0 + w0[13] * i1) + w0[14] * i2;
                        a5 = (long)(w0[15] * i0 + w0[16] * i1) + w0[17] * i2;
                    }
                    else
                    {
                        w0 = in16[k];
                        w1 = in16[k1];
                        w2 = in16[k2];
                        w3 = in16[k3];
                        w4 = in16[k4];
                        w5 = in16[k5];
                        a0 = 0; a1 = 0; a2 = 0; a3 = 0; a4 = 0; a5 = 0;
                        c = 0;
                        for (; c < inQuads; c += 4)
                        {
                            d = c + 1;
                            e = c + 2;
                            f = c + 3;
                            x0 = input[c];
                            x1 = input[d];
                            x2 = input[e];
                            x3 = input[f];
                            a0 += (long)(w0[c] * x0 + w0[d] * x1) + (w0[e] * x2 + w0[f] * x3);
                            a1 += (long)(w1[c] * x0 + w1[d] * x1) + (w1[e] * x2 + w1[f] * x3);
                            a2 += (long)(w2[c] * x0 + w2[d] * x1) + (w2[e] * x2 + w2[f] * x3);
                            a3 += (long)(w3[c] * x0 + w3[d] * x1) + (w3[e] * x2 + w3[f] * x3);
                            a4 += (long)(w4[c] * x0 + w4[d] * x1) + (w4[e] * x2 + w4[f] * x3);
                            a5 += (long)(w5[c] * x0 + w5[d] * x1) + (w5[e] * x2 + w5[f] * x3);
                        }
                        if (c < inPairs)
                        {
                            d = c + 1;
                            x0 = input[c];
                            x1 = input[d];
                            a0 += w0[c] * x0 + w0[d] * x1;
                            a1 += w1[c] * x0 + w1[d] * x1;
                            a2 += w2[c] * x0 + w2[d] * x1;
                            a3 += w3[c] * x0 + w3[d] * x1;
                            a4 += w4[c] * x0 + w4[d] * x1;
                            a5 += w5[c] * x0 + w5[d] * x1;
                            c += 2;
                        }
                        if (c < inCols)
                        {
                            x0 = input[c];
                            a0 += w0[c] * x0;
                            a1 += w1[c] * x0;
                            a2 += w2[c] * x0;
                            a3 += w3[c] * x0;
                            a4 += w4[c] * x0;
                            a5 += w5[c] * x0;
                        }
                    }
                    if (hidden == 16)
                    {
                        w0 = recPairs16[j >> 1];
                        b0 = (long)(w0[0] * h0 + w0[1] * h1) + (w0[2] * h2 + w0[3] * h3) + (w0[4] * h4 + w0[5] * h5) + (w0[6] * h6 + w0[7] * h7) + (w0[8] * h8 + w0[9] * h9) + (w0[10] * h10 + w0[11] * h11) + (w0[12] * h12 + w0[13] * h13) + (w0[14] * h14 + w0[15] * h15);
                        b1 = (long)(w0[16] * h0 + w0[17] * h1) + (w0[18] * h2 + w0[19] * h3) + (w0[20] * h4 + w0[21] * h5) + (w0[22] * h6 + w0[23] * h7) + (w0[24] * h8 + w0[25] * h9) + (w0[26] * h10 + w0[27] * h11) + (w0[28] * h12 + w0[29] * h13) + (w0[30] * h14 + w0[31] * h15);
                        b2 = (long)(w0[32] * h0 + w0[33] * h1) + (w0[34] * h2 + w0[35] * h3) + (w0[36] * h4 + w0[37] * h5) + (w0[38] * h6 + w0[39] * h7) + (w0[40] * h8 + w0[41] * h9) + (w0[42] * h10 + w0[43] * h11) + (w0[44] * h12 + w0[45] * h13) + (w0[46] * h14 + w0[47] * h15);
                        b3 = (long)(w0[48] * h0 + w0[49] * h1) + (w0[50] * h2 + w0[51] * h3) + (w0[52] * h4 + w0[53] * h5) + (w0[54] * h6 + w0[55] * h7) + (w0[56] * h8 + w0[57] * h9) + (w0[58] * h10 + w0[59] * h11) + (w0[60] * h12 + w0[61] * h13) + (w0[62] * h14 + w0[63] * h15);
                        b4 = (long)(w0[64] * h0 + w0[65] * h1) + (w0[66] * h2 + w0[67] * h3) + (w0[68] * h4 + w0[69] * h5) + (w0[70] * h6 + w0[71] * h7) + (w0[72] * h8 + w0[73] * h9) + (w0[74] * h10 + w0[75] * h11) + (w0[76] * h12 + w0[77] * h13) + (w0[78] * h14 + w0[79] * h15);
                        b5 = (long)(w0[80] * h0 + w0[81] * h1) + (w0[82] * h2 + w0[83] * h3) + (w0[84] * h4 + w0[85] * h5) + (w0[86] * h6 + w0[87] * h7) + (w0[88] * h8 + w0[89] * h9) + (w0[90] * h10 + w0[91] * h11) + (w0[92] * h12 + w0[93] * h13) + (w0[94] * h14 + w0[95] * h15);
                    }
                    else
                    {
                        w0 = rec16[k];
                        w1 = rec16[k1];
                        w2 = rec16[k2];
                        w3 = rec16[k3];
                        w4 = rec16[k4];
                        w5 = rec16[k5];
                        b0 = 0; b1 = 0; b2 = 0; b3 = 0; b4 = 0; b5 = 0;
                        c = 0;
                        for (; c < hidQuads; c += 4)
                        {
                            d = c + 1;
                            e = c + 2;
                            f = c + 3;
                            x0 = h[c];
                            x1 = h[d];
                            x2 = h[e];
                            x3 = h[f];
                            b0 += (long)(w0[c] * x0 + w0[d] * x1) + (w0[e] * x2 + w0[f] * x3);
                            b1 += (long)(w1[c] * x0 + w1[d] * x1) + (w1[e] * x2 + w1[f] * x3);
                            b2 += (long)(w2[c] * x0 + w2[d] * x1) + (w2[e] * x2 + w2[f] * x3);
                            b3 += (long)(w3[c] * x0 + w3[d] * x1) + (w3[e] * x2 + w3[f] * x3);
                            b4 += (long)(w4[c] * x0 + w4[d] * x1) + (w4[e] * x2 + w4[f] * x3);
                            b5 += (long)(w5[c] * x0 + w5[d] * x1) + (w5[e] * x2 + w5[f] * x3);
                        }
                        if (c < hidPairs)
                        {
                            d = c + 1;
                            x0 = h[c];
                            x1 = h[d];
                            b0 += w0[c] * x0 + w0[d] * x1;
                            b1 += w1[c] * x0 + w1[d] * x1;
                            b2 += w2[c] * x0 + w2[d] * x1;
                            b3 += w3[c] * x0 + w3[d] * x1;
                            b4 += w4[c] * x0 + w4[d] * x1;
                            b5 += w5[c] * x0 + w5[d] * x1;
                            c += 2;
                        }
                        if (c < hidden)
                        {
                            x0 = h[c];
                            b0 += w0[c] * x0;
                            b1 += w1[c] * x0;
                            b2 += w2[c] * x0;
                            b3 += w3[c] * x0;
                            b4 += w4[c] * x0;
                            b5 += w5[c] * x0;
                        }
                    }
                }

                {
                    // Gate r (sigmoid of both parts).
                    if (mayClamp)
                    {
                        u = (a0 * inMul[k] + inRound[k]) >> inShift[k];
                        v = (b0 * recMul[k] + recRound[k]) >> recShift[k];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k];
                        pre = (int)u + (int)v;
                    }
                    else pre = (int)((a0 * inMul[k] + inRound[k]) >> inShift[k]) + (int)((b0 * recMul[k] + recRound[k]) >> recShift[k]);
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            index = pre >> 7;
                            reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else reset = 32767;
                    }
                    else if (pre > -65536)
                    {
                        m = -pre;
                        index = m >> 7;
                        reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else reset = 0;
                    // Gate z.
                    if (mayClamp)
                    {
                        u = (a1 * inMul[k1] + inRound[k1]) >> inShift[k1];
                        v = (b1 * recMul[k1] + recRound[k1]) >> recShift[k1];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k1];
                        pre = (int)u + (int)v;
                    }
                    else pre = (int)((a1 * inMul[k1] + inRound[k1]) >> inShift[k1]) + (int)((b1 * recMul[k1] + recRound[k1]) >> recShift[k1]);
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            index = pre >> 7;
                            update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else update = 32767;
                    }
                    else if (pre > -65536)
                    {
                        m = -pre;
                        index = m >> 7;
                        update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else update = 0;
                    // Gate n: tanh(input part + r * recurrent part).
                    if (mayClamp)
                    {
                        u = (a2 * inMul[k2] + inRound[k2]) >> inShift[k2];
                        v = (b2 * recMul[k2] + recRound[k2]) >> recShift[k2];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k2];
                        v += nRecBias[j];
                        recurrentPart = (int)v;
                        gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                        pre = (int)u + gated;
                    }
                    else
                    {
                        recurrentPart = (int)((b2 * recMul[k2] + recRound[k2]) >> recShift[k2]);
                        gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                        pre = (int)((a2 * inMul[k2] + inRound[k2]) >> inShift[k2]) + gated;
                    }
                    if (pre >= 0)
                    {
                        if (pre < 32768)
                        {
                            index = pre >> 6;
                            candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                        }
                        else candidate = 32767;
                    }
                    else if (pre > -32768)
                    {
                        m = -pre;
                        index = m >> 6;
                        candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                    }
                    else candidate = -32767;
                    previous = h[j];
                    next[j] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
                }
                {
                    // Gate r (sigmoid of both parts).
                    if (mayClamp)
                    {
                        u = (a3 * inMul[k3] + inRound[k3]) >> inShift[k3];
                        v = (b3 * recMul[k3] + recRound[k3]) >> recShift[k3];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k3];
                        pre = (int)u + (int)v;
                    }
                    else pre = (int)((a3 * inMul[k3] + inRound[k3]) >> inShift[k3]) + (int)((b3 * recMul[k3] + recRound[k3]) >> recShift[k3]);
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            index = pre >> 7;
                            reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else reset = 32767;
                    }
                    else if (pre > -65536)
                    {
                        m = -pre;
                        index = m >> 7;
                        reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else reset = 0;
                    // Gate z.
                    if (mayClamp)
                    {
                        u = (a4 * inMul[k4] + inRound[k4]) >> inShift[k4];
                        v = (b4 * recMul[k4] + recRound[k4]) >> recShift[k4];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k4];
                        pre = (int)u + (int)v;
                    }
                    else pre = (int)((a4 * inMul[k4] + inRound[k4]) >> inShift[k4]) + (int)((b4 * recMul[k4] + recRound[k4]) >> recShift[k4]);
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            index = pre >> 7;
                            update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else update = 32767;
                    }
                    else if (pre > -65536)
                    {
                        m = -pre;
                        index = m >> 7;
                        update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else update = 0;
                    // Gate n: tanh(input part + r * recurrent part).
                    if (mayClamp)
                    {
                        u = (a5 * inMul[k5] + inRound[k5]) >> inShift[k5];
                        v = (b5 * recMul[k5] + recRound[k5]) >> recShift[k5];
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k5];
                        v += nRecBias[j1];
                        recurrentPart = (int)v;
                        gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                        pre = (int)u + gated;
                    }
                    else
                    {
                        recurrentPart = (int)((b5 * recMul[k5] + recRound[k5]) >> recShift[k5]);
                        gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                        pre = (int)((a5 * inMul[k5] + inRound[k5]) >> inShift[k5]) + gated;
                    }
                    if (pre >= 0)
                    {
                        if (pre < 32768)
                        {
                            index = pre >> 6;
                            candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                        }
                        else candidate = 32767;
                    }
                    else if (pre > -32768)
                    {
                        m = -pre;
                        index = m >> 6;
                        candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                    }
                    else candidate = -32767;
                    previous = h[j1];
                    next[j1] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
                }
            }
            for (; j < hidden; j++)
            {
                k = j * 3;
                k1 = k + 1;
                k2 = k + 2;
                {
                    // int16 × int16: two products (each under 2^30) fit an int, summed into longs pair by pair as PortableMatVec16.
                    w0 = in16[k];
                    w1 = in16[k1];
                    w2 = in16[k2];
                    a0 = 0; a1 = 0; a2 = 0;
                    c = 0;
                    for (; c < inQuads; c += 4)
                    {
                        d = c + 1;
                        e = c + 2;
                        f = c + 3;
                        x0 = input[c];
                        x1 = input[d];
                        x2 = input[e];
                        x3 = input[f];
                        a0 += (long)(w0[c] * x0 + w0[d] * x1) + (w0[e] * x2 + w0[f] * x3);
                        a1 += (long)(w1[c] * x0 + w1[d] * x1) + (w1[e] * x2 + w1[f] * x3);
                        a2 += (long)(w2[c] * x0 + w2[d] * x1) + (w2[e] * x2 + w2[f] * x3);
                    }
                    if (c < inPairs)
                    {
                        d = c + 1;
                        x0 = input[c];
                        x1 = input[d];
                        a0 += w0[c] * x0 + w0[d] * x1;
                        a1 += w1[c] * x0 + w1[d] * x1;
                        a2 += w2[c] * x0 + w2[d] * x1;
                        c += 2;
                    }
                    if (c < inCols)
                    {
                        x0 = input[c];
                        a0 += w0[c] * x0;
                        a1 += w1[c] * x0;
                        a2 += w2[c] * x0;
                    }
                    w0 = rec16[k];
                    w1 = rec16[k1];
                    w2 = rec16[k2];
                    b0 = 0; b1 = 0; b2 = 0;
                    c = 0;
                    for (; c < hidQuads; c += 4)
                    {
                        d = c + 1;
                        e = c + 2;
                        f = c + 3;
                        x0 = h[c];
                        x1 = h[d];
                        x2 = h[e];
                        x3 = h[f];
                        b0 += (long)(w0[c] * x0 + w0[d] * x1) + (w0[e] * x2 + w0[f] * x3);
                        b1 += (long)(w1[c] * x0 + w1[d] * x1) + (w1[e] * x2 + w1[f] * x3);
                        b2 += (long)(w2[c] * x0 + w2[d] * x1) + (w2[e] * x2 + w2[f] * x3);
                    }
                    if (c < hidPairs)
                    {
                        d = c + 1;
                        x0 = h[c];
                        x1 = h[d];
                        b0 += w0[c] * x0 + w0[d] * x1;
                        b1 += w1[c] * x0 + w1[d] * x1;
                        b2 += w2[c] * x0 + w2[d] * x1;
                        c += 2;
                    }
                    if (c < hidden)
                    {
                        x0 = h[c];
                        b0 += w0[c] * x0;
                        b1 += w1[c] * x0;
                        b2 += w2[c] * x0;
                    }
                }

                // Gate r (sigmoid of both parts).
                if (mayClamp)
                {
                    u = (a0 * inMul[k] + inRound[k]) >> inShift[k];
                    v = (b0 * recMul[k] + recRound[k]) >> recShift[k];
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k];
                    pre = (int)u + (int)v;
                }
                else pre = (int)((a0 * inMul[k] + inRound[k]) >> inShift[k]) + (int)((b0 * recMul[k] + recRound[k]) >> recShift[k]);
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        index = pre >> 7;
                        reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else reset = 32767;
                }
                else if (pre > -65536)
                {
                    m = -pre;
                    index = m >> 7;
                    reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else reset = 0;
                // Gate z.
                if (mayClamp)
                {
                    u = (a1 * inMul[k1] + inRound[k1]) >> inShift[k1];
                    v = (b1 * recMul[k1] + recRound[k1]) >> recShift[k1];
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k1];
                    pre = (int)u + (int)v;
                }
                else pre = (int)((a1 * inMul[k1] + inRound[k1]) >> inShift[k1]) + (int)((b1 * recMul[k1] + recRound[k1]) >> recShift[k1]);
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        index = pre >> 7;
                        update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else update = 32767;
                }
                else if (pre > -65536)
                {
                    m = -pre;
                    index = m >> 7;
                    update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else update = 0;
                // Gate n: tanh(input part + r * recurrent part).
                if (mayClamp)
                {
                    u = (a2 * inMul[k2] + inRound[k2]) >> inShift[k2];
                    v = (b2 * recMul[k2] + recRound[k2]) >> recShift[k2];
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k2];
                    v += nRecBias[j];
                    recurrentPart = (int)v;
                    gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                    pre = (int)u + gated;
                }
                else
                {
                    recurrentPart = (int)((b2 * recMul[k2] + recRound[k2]) >> recShift[k2]);
                    gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                    pre = (int)((a2 * inMul[k2] + inRound[k2]) >> inShift[k2]) + gated;
                }
                if (pre >= 0)
                {
                    if (pre < 32768)
                    {
                        index = pre >> 6;
                        candidate = (tanhPos[index] + slope[index] * (pre & 63)) >> 6;
                    }
                    else candidate = 32767;
                }
                else if (pre > -32768)
                {
                    m = -pre;
                    index = m >> 6;
                    candidate = -((tanhPos[index] + slope[index] * (m & 63)) >> 6);
                }
                else candidate = -32767;
                previous = h[j];
                next[j] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
            }
            System.Array.Copy(next, 0, h, 0, hidden);
        }
    }
}
