using Embedded.Shared.Fixed;
using Embedded.Shared.Model;

namespace Embedded.Shared.Layers
{
    /// <summary>
    /// <see cref="GruLayer"/>'s step in one pass per hidden unit (see <see cref="FusedPortableLstmLayer"/>): the
    /// three gate rows of unit j (r, z, n) are multiplied, requantised, activated and folded into the new state at
    /// once. int8 rows are packed (r, z) and (n alone) per 64-bit word. Bit for bit GruLayer's result.
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
                int k = j * 3;
                int k1 = k + 1;
                int k2 = k + 2;
                int k3 = k + 3;
                int k4 = k + 4;
                int k5 = k + 5;
                long a0, a1, a2, a3, a4, a5, b0, b1, b2, b3, b4, b5;
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
                    a2 = (int)s1;
                    low = (int)s2;
                    a3 = low;
                    a4 = (s2 - low) >> 32;
                    a5 = (int)s3;
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
                    b2 = (int)s1;
                    low = (int)s2;
                    b3 = low;
                    b4 = (s2 - low) >> 32;
                    b5 = (int)s3;
                }
                else
                {
                    short[] w0 = in16[k];
                    short[] w1 = in16[k1];
                    short[] w2 = in16[k2];
                    short[] w3 = in16[k3];
                    short[] w4 = in16[k4];
                    short[] w5 = in16[k5];
                    a0 = 0; a1 = 0; a2 = 0; a3 = 0; a4 = 0; a5 = 0;
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
                    }
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
                    }
                }

                {
                    // Gate r (sigmoid of both parts).
                    long u = (a0 * inMul[k] + inRound[k]) >> inShift[k];
                    long v = (b0 * recMul[k] + recRound[k]) >> recShift[k];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k];
                    }
                    int pre = (int)u + (int)v;
                    int reset;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else reset = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else reset = 0;
                    // Gate z.
                    u = (a1 * inMul[k1] + inRound[k1]) >> inShift[k1];
                    v = (b1 * recMul[k1] + recRound[k1]) >> recShift[k1];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k1];
                    }
                    pre = (int)u + (int)v;
                    int update;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else update = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else update = 0;
                    // Gate n: tanh(input part + r * recurrent part).
                    u = (a2 * inMul[k2] + inRound[k2]) >> inShift[k2];
                    v = (b2 * recMul[k2] + recRound[k2]) >> recShift[k2];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k2];
                        v += nRecBias[j];
                    }
                    int recurrentPart = (int)v;
                    int gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                    pre = (int)u + gated;
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
                    int previous = h[j];
                    next[j] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
                }
                {
                    // Gate r (sigmoid of both parts).
                    long u = (a3 * inMul[k3] + inRound[k3]) >> inShift[k3];
                    long v = (b3 * recMul[k3] + recRound[k3]) >> recShift[k3];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k3];
                    }
                    int pre = (int)u + (int)v;
                    int reset;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else reset = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else reset = 0;
                    // Gate z.
                    u = (a4 * inMul[k4] + inRound[k4]) >> inShift[k4];
                    v = (b4 * recMul[k4] + recRound[k4]) >> recShift[k4];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k4];
                    }
                    pre = (int)u + (int)v;
                    int update;
                    if (pre >= 0)
                    {
                        if (pre < 65536)
                        {
                            int index = pre >> 7;
                            update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                        }
                        else update = 32767;
                    }
                    else if (pre > -65536)
                    {
                        int m = -pre;
                        int index = m >> 7;
                        update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                    }
                    else update = 0;
                    // Gate n: tanh(input part + r * recurrent part).
                    u = (a5 * inMul[k5] + inRound[k5]) >> inShift[k5];
                    v = (b5 * recMul[k5] + recRound[k5]) >> recShift[k5];
                    if (mayClamp)
                    {
                        if (u > limit) u = limit; else if (u < -limit) u = -limit;
                        if (v > limit) v = limit; else if (v < -limit) v = -limit;
                        u += bias[k5];
                        v += nRecBias[j1];
                    }
                    int recurrentPart = (int)v;
                    int gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                    pre = (int)u + gated;
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
                    int previous = h[j1];
                    next[j1] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
                }
            }
            for (; j < hidden; j++)
            {
                int k = j * 3;
                int k1 = k + 1;
                int k2 = k + 2;
                long a0, a1, a2, b0, b1, b2;
                if (packed)
                {
                    // Two gate rows per 64-bit word: (r, z) and (n alone).
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
                    a2 = (int)t;
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
                    b2 = (int)t;
                }
                else
                {
                    // int16 × int16: two products (each under 2^30) fit an int, summed into longs pair by pair as PortableMatVec16.
                    short[] w0 = in16[k];
                    short[] w1 = in16[k1];
                    short[] w2 = in16[k2];
                    a0 = 0; a1 = 0; a2 = 0;
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
                    }
                    if (c < inPairs)
                    {
                        int d = c + 1;
                        int x0 = input[c];
                        int x1 = input[d];
                        a0 += w0[c] * x0 + w0[d] * x1;
                        a1 += w1[c] * x0 + w1[d] * x1;
                        a2 += w2[c] * x0 + w2[d] * x1;
                        c += 2;
                    }
                    if (c < inCols)
                    {
                        int x0 = input[c];
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
                    }
                    if (c < hidPairs)
                    {
                        int d = c + 1;
                        int x0 = h[c];
                        int x1 = h[d];
                        b0 += w0[c] * x0 + w0[d] * x1;
                        b1 += w1[c] * x0 + w1[d] * x1;
                        b2 += w2[c] * x0 + w2[d] * x1;
                        c += 2;
                    }
                    if (c < hidden)
                    {
                        int x0 = h[c];
                        b0 += w0[c] * x0;
                        b1 += w1[c] * x0;
                        b2 += w2[c] * x0;
                    }
                }

                // Gate r (sigmoid of both parts).
                long u = (a0 * inMul[k] + inRound[k]) >> inShift[k];
                long v = (b0 * recMul[k] + recRound[k]) >> recShift[k];
                if (mayClamp)
                {
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k];
                }
                int pre = (int)u + (int)v;
                int reset;
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        int index = pre >> 7;
                        reset = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else reset = 32767;
                }
                else if (pre > -65536)
                {
                    int m = -pre;
                    int index = m >> 7;
                    reset = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else reset = 0;
                // Gate z.
                u = (a1 * inMul[k1] + inRound[k1]) >> inShift[k1];
                v = (b1 * recMul[k1] + recRound[k1]) >> recShift[k1];
                if (mayClamp)
                {
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k1];
                }
                pre = (int)u + (int)v;
                int update;
                if (pre >= 0)
                {
                    if (pre < 65536)
                    {
                        int index = pre >> 7;
                        update = (sigPos[index] + slope[index] * (pre & 127)) >> 8;
                    }
                    else update = 32767;
                }
                else if (pre > -65536)
                {
                    int m = -pre;
                    int index = m >> 7;
                    update = (sigNeg[index] - slope[index] * (m & 127)) >> 8;
                }
                else update = 0;
                // Gate n: tanh(input part + r * recurrent part).
                u = (a2 * inMul[k2] + inRound[k2]) >> inShift[k2];
                v = (b2 * recMul[k2] + recRound[k2]) >> recShift[k2];
                if (mayClamp)
                {
                    if (u > limit) u = limit; else if (u < -limit) u = -limit;
                    if (v > limit) v = limit; else if (v < -limit) v = -limit;
                    u += bias[k2];
                    v += nRecBias[j];
                }
                int recurrentPart = (int)v;
                int gated = (int)((reset * (long)recurrentPart + (1 << 14)) >> 15);
                pre = (int)u + gated;
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
                int previous = h[j];
                next[j] = (short)(candidate + ((update * (previous - candidate) + (1 << 14)) >> 15));
            }
            System.Array.Copy(next, 0, h, 0, hidden);
        }
    }
}
