using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Embedded.Trainer.Numerics;

/// <summary>
/// e^x for float vectors, relative error about 1e-7 (a few ulp): x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6
/// polynomial, 2^n put straight into the exponent bits. The library's float exp widens to double for correct rounding,
/// which costs about twice as much; training in float32 does not need that last ulp. Inputs are clamped to the range
/// where e^x is a normal float, so very negative inputs give ~1e-38 rather than 0 (harmless inside a sigmoid).
/// The clamp uses MinNative/MaxNative (one vminps/vmaxps; the IEEE Min/Max of .NET 9+ expand to ~8 instructions each for NaN and
/// signed-zero handling): the bounds are non-zero, so the two differ only for a NaN input, which both the 256- and the 512-bit
/// float path turn into the bound (x86 returns the second operand): still the same bits on both.
/// n is a whole number within [-126, 127] after the clamp, so the conversion to int uses the native instruction
/// (ConvertToInt32Native: the same value on every CPU in that range, without the saturation fix-up that AVX2 otherwise pays).
/// </summary>
internal static class FastExp
{
    private const float Log2E = 1.44269504f, Ln2Hi = 0.693145752f, Ln2Lo = 1.42860677e-6f;
    private const float Lowest = -87.0f, Highest = 88.0f;
    // Taylor coefficients 1/k! for k = 2..6 (the remainder r^7/7! is below 1.3e-7 relative on |r| ≤ ln2/2).
    private const float C2 = 0.5f, C3 = 1.0f / 6, C4 = 1.0f / 24, C5 = 1.0f / 120, C6 = 1.0f / 720;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
        Vector512<float> n = Vector512.Round(x * Vector512.Create(Log2E));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(C6), r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        Vector512<int> scale = (Vector512.ConvertToInt32Native(n) + Vector512.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(Lowest)), Vector256.Create(Highest));
        Vector256<float> n = Vector256.Round(x * Vector256.Create(Log2E));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(C6), r, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        Vector256<int> scale = (Vector256.ConvertToInt32Native(n) + Vector256.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    /// <summary>
    /// <see cref="Exp(Vector256{float})"/> on 128-bit vectors, operation for operation: the same bits per element. The LSTM's
    /// element-wise forward runs its tail (and, without 256-bit vectors, the whole step: the scalar path, arm64) at this width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        x = Vector128.MinNative(Vector128.MaxNative(x, Vector128.Create(Lowest)), Vector128.Create(Highest));
        Vector128<float> n = Vector128.Round(x * Vector128.Create(Log2E));
        Vector128<float> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Hi), x);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Lo), r);
        Vector128<float> p = Vector128.FusedMultiplyAdd(Vector128.Create(C6), r, Vector128.Create(C5));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C4));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C3));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C2));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<float>.One);
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<float>.One);
        Vector128<int> scale = (Vector128.ConvertToInt32Native(n) + Vector128.Create(127)) << 23;
        return p * scale.AsSingle();
    }

    /// <summary>
    /// <see cref="Exp(Vector256{float})"/> for one value, operation for operation (the clamp as x86's vmaxps/vminps: a NaN
    /// becomes the bound; MathF.FusedMultiplyAdd is the correctly rounded fma with or without FMA hardware): the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        x = x > Lowest ? x : Lowest;
        x = x < Highest ? x : Highest;
        float n = MathF.Round(x * Log2E);
        float r = MathF.FusedMultiplyAdd(n, -Ln2Hi, x);
        r = MathF.FusedMultiplyAdd(n, -Ln2Lo, r);
        float p = MathF.FusedMultiplyAdd(C6, r, C5);
        p = MathF.FusedMultiplyAdd(p, r, C4);
        p = MathF.FusedMultiplyAdd(p, r, C3);
        p = MathF.FusedMultiplyAdd(p, r, C2);
        p = MathF.FusedMultiplyAdd(p, r, 1.0f);
        p = MathF.FusedMultiplyAdd(p, r, 1.0f);
        return p * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    }

    /// <summary>
    /// σ(a) = 1 / (1 + e^-a) of four float vectors with the same operations as <see cref="Exp(Vector256{float})"/> (and
    /// Vector256Ops.Sigmoid) on each, written step by step across the four: four independent chains side by side in the
    /// instruction stream (the JIT does not reorder), so the core overlaps their latencies instead of waiting on one chain. Same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sigmoid4(ref Vector256<float> a, ref Vector256<float> b, ref Vector256<float> c, ref Vector256<float> d)
    {
        Vector256<float> lo = Vector256.Create(Lowest), hi = Vector256.Create(Highest);
        Vector256<float> xa = Vector256.MinNative(Vector256.MaxNative(-a, lo), hi), xb = Vector256.MinNative(Vector256.MaxNative(-b, lo), hi);
        Vector256<float> xc = Vector256.MinNative(Vector256.MaxNative(-c, lo), hi), xd = Vector256.MinNative(Vector256.MaxNative(-d, lo), hi);
        Vector256<float> l2e = Vector256.Create(Log2E);
        Vector256<float> na = Vector256.Round(xa * l2e), nb = Vector256.Round(xb * l2e), nc = Vector256.Round(xc * l2e), nd = Vector256.Round(xd * l2e);
        Vector256<float> k = Vector256.Create(-Ln2Hi);
        Vector256<float> ra = Vector256.FusedMultiplyAdd(na, k, xa), rb = Vector256.FusedMultiplyAdd(nb, k, xb);
        Vector256<float> rc = Vector256.FusedMultiplyAdd(nc, k, xc), rd = Vector256.FusedMultiplyAdd(nd, k, xd);
        k = Vector256.Create(-Ln2Lo);
        ra = Vector256.FusedMultiplyAdd(na, k, ra); rb = Vector256.FusedMultiplyAdd(nb, k, rb);
        rc = Vector256.FusedMultiplyAdd(nc, k, rc); rd = Vector256.FusedMultiplyAdd(nd, k, rd);
        Vector256<float> c6 = Vector256.Create(C6), c5 = Vector256.Create(C5);
        Vector256<float> pa = Vector256.FusedMultiplyAdd(c6, ra, c5), pb = Vector256.FusedMultiplyAdd(c6, rb, c5);
        Vector256<float> pc = Vector256.FusedMultiplyAdd(c6, rc, c5), pd = Vector256.FusedMultiplyAdd(c6, rd, c5);
        k = Vector256.Create(C4);
        pa = Vector256.FusedMultiplyAdd(pa, ra, k); pb = Vector256.FusedMultiplyAdd(pb, rb, k); pc = Vector256.FusedMultiplyAdd(pc, rc, k); pd = Vector256.FusedMultiplyAdd(pd, rd, k);
        k = Vector256.Create(C3);
        pa = Vector256.FusedMultiplyAdd(pa, ra, k); pb = Vector256.FusedMultiplyAdd(pb, rb, k); pc = Vector256.FusedMultiplyAdd(pc, rc, k); pd = Vector256.FusedMultiplyAdd(pd, rd, k);
        k = Vector256.Create(C2);
        pa = Vector256.FusedMultiplyAdd(pa, ra, k); pb = Vector256.FusedMultiplyAdd(pb, rb, k); pc = Vector256.FusedMultiplyAdd(pc, rc, k); pd = Vector256.FusedMultiplyAdd(pd, rd, k);
        k = Vector256<float>.One;
        pa = Vector256.FusedMultiplyAdd(pa, ra, k); pb = Vector256.FusedMultiplyAdd(pb, rb, k); pc = Vector256.FusedMultiplyAdd(pc, rc, k); pd = Vector256.FusedMultiplyAdd(pd, rd, k);
        pa = Vector256.FusedMultiplyAdd(pa, ra, k); pb = Vector256.FusedMultiplyAdd(pb, rb, k); pc = Vector256.FusedMultiplyAdd(pc, rc, k); pd = Vector256.FusedMultiplyAdd(pd, rd, k);
        Vector256<int> bias = Vector256.Create(127);
        Vector256<float> ea = pa * ((Vector256.ConvertToInt32Native(na) + bias) << 23).AsSingle();
        Vector256<float> eb = pb * ((Vector256.ConvertToInt32Native(nb) + bias) << 23).AsSingle();
        Vector256<float> ec = pc * ((Vector256.ConvertToInt32Native(nc) + bias) << 23).AsSingle();
        Vector256<float> ed = pd * ((Vector256.ConvertToInt32Native(nd) + bias) << 23).AsSingle();
        a = k / (k + ea); b = k / (k + eb); c = k / (k + ec); d = k / (k + ed);
    }

    // Double: the same scheme with a degree-13 Taylor polynomial (remainder below 1e-16 relative on |r| ≤ ln2/2); the library's
    // vector exp for double is several times slower here.
    private const double Log2ED = 1.4426950408889634, Ln2HiD = 6.93147180369123816490e-01, Ln2LoD = 1.90821492927058770002e-10;
    private const double LowestD = -708.0, HighestD = 709.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(LowestD)), Vector512.Create(HighestD));
        Vector512<double> n = Vector512.Round(x * Vector512.Create(Log2ED));
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2HiD), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2LoD), r);
        Vector512<double> p = Vector512.FusedMultiplyAdd(Vector512.Create(D13), r, Vector512.Create(D12));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D11));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D10));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D9));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D8));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D7));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(D2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        Vector512<long> scale = (Vector512.ConvertToInt64(n) + Vector512.Create(1023L)) << 52;
        return p * scale.AsDouble();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(LowestD)), Vector256.Create(HighestD));
        Vector256<double> n = Vector256.Round(x * Vector256.Create(Log2ED));
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2HiD), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2LoD), r);
        Vector256<double> p = Vector256.FusedMultiplyAdd(Vector256.Create(D13), r, Vector256.Create(D12));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D11));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D10));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D9));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D8));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D7));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(D2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);
        Vector256<long> scale = (Vector256.ConvertToInt64(n) + Vector256.Create(1023L)) << 52;
        return p * scale.AsDouble();
    }

    /// <summary><see cref="Exp(Vector256{double})"/> on 128-bit vectors, operation for operation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Exp(Vector128<double> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(LowestD)), Vector128.Create(HighestD));
        Vector128<double> n = Vector128.Round(x * Vector128.Create(Log2ED));
        Vector128<double> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2HiD), x);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2LoD), r);
        Vector128<double> p = Vector128.FusedMultiplyAdd(Vector128.Create(D13), r, Vector128.Create(D12));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D11));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D10));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D9));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D8));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D7));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D6));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D5));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D4));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D3));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(D2));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<double>.One);
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<double>.One);
        Vector128<long> scale = (Vector128.ConvertToInt64(n) + Vector128.Create(1023L)) << 52;
        return p * scale.AsDouble();
    }

    /// <summary><see cref="Exp(Vector256{double})"/> for one value, operation for operation (Math.Min/Max are the same IEEE min/max).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double x)
    {
        x = Math.Min(Math.Max(x, LowestD), HighestD);
        double n = Math.Round(x * Log2ED);
        double r = Math.FusedMultiplyAdd(n, -Ln2HiD, x);
        r = Math.FusedMultiplyAdd(n, -Ln2LoD, r);
        double p = Math.FusedMultiplyAdd(D13, r, D12);
        p = Math.FusedMultiplyAdd(p, r, D11);
        p = Math.FusedMultiplyAdd(p, r, D10);
        p = Math.FusedMultiplyAdd(p, r, D9);
        p = Math.FusedMultiplyAdd(p, r, D8);
        p = Math.FusedMultiplyAdd(p, r, D7);
        p = Math.FusedMultiplyAdd(p, r, D6);
        p = Math.FusedMultiplyAdd(p, r, D5);
        p = Math.FusedMultiplyAdd(p, r, D4);
        p = Math.FusedMultiplyAdd(p, r, D3);
        p = Math.FusedMultiplyAdd(p, r, D2);
        p = Math.FusedMultiplyAdd(p, r, 1.0);
        p = Math.FusedMultiplyAdd(p, r, 1.0);
        return p * BitConverter.Int64BitsToDouble(((long)n + 1023L) << 52);
    }

    // 1/k! for k = 2..13.
    private const double D2 = 1.0 / 2, D3 = 1.0 / 6, D4 = 1.0 / 24, D5 = 1.0 / 120, D6 = 1.0 / 720, D7 = 1.0 / 5040, D8 = 1.0 / 40320,
        D9 = 1.0 / 362880, D10 = 1.0 / 3628800, D11 = 1.0 / 39916800, D12 = 1.0 / 479001600, D13 = 1.0 / 6227020800;
}
