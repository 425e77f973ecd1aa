using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// AVX-512 input normaliser, 8 features per vector, bit-exact with the portable InputNormaliser.
/// (x − mean)·m + r equals x·m + (r − mean·m), so one signed 32×32→64 multiply (vpmuldq, 5 cycles, where
/// vpmullq takes 15) and the add of a per-feature constant replace the 33-bit subtraction and the 64-bit
/// multiply; then the per-lane arithmetic shift (vpsravq) and the saturating narrow to int16 (vpmovsqw).
/// No overflow: |x·m| &lt; 2^46, |mean·m| &lt; 2^46 and r ≤ 2^61 (m &lt; 2^15, shifts ≤ 62), so every
/// intermediate stays inside int64, as in the portable code.
/// </summary>
internal sealed class Avx512InputNormaliser : IInputNormaliser
{
    private const int Lanes = 8;

    // Per feature, padded with zeros to whole vectors (a zero lane normalises to 0).
    private readonly AlignedBuffer<long> _multipliers;
    private readonly AlignedBuffer<long> _offsets;
    private readonly AlignedBuffer<ulong> _shifts;
    private readonly int _count;
    private readonly int _whole;
    // The last, partial vector goes through these, so loads and stores never leave the caller's arrays.
    private readonly int[] _tailInput = new int[Lanes];
    private readonly short[] _tailOutput = new short[Lanes];

    public Avx512InputNormaliser(ModelImage model)
    {
        _count = model.InputMeans.Length;
        _whole = _count / Lanes * Lanes;
        int padded = (_count + Lanes - 1) / Lanes * Lanes;
        _multipliers = new AlignedBuffer<long>(padded);
        _offsets = new AlignedBuffer<long>(padded);
        _shifts = new AlignedBuffer<ulong>(padded);
        for (int i = 0; i < _count; i++)
        {
            int shift = model.InputShifts[i];
            long rounding = shift > 0 ? 1L << (shift - 1) : 0L;
            _multipliers[i] = model.InputMultipliers[i];
            _offsets[i] = rounding - (long)model.InputMeans[i] * model.InputMultipliers[i];
            _shifts[i] = (ulong)shift;
        }
    }

    /// <summary>AVX-512F is all it needs (vpmuldq, vpsravq and vpmovsqw on 512-bit vectors).</summary>
    public static bool Supported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(int[] input, short[] normalised)
    {
        // The loads below are unchecked: the arrays must hold every feature.
        if (input.Length < _count) throw new ArgumentException("input needs " + _count + " values", nameof(input));
        if (normalised.Length < _count) throw new ArgumentException("normalised needs " + _count + " values", nameof(normalised));
        ref int x = ref MemoryMarshal.GetArrayDataReference(input);
        ref short y = ref MemoryMarshal.GetArrayDataReference(normalised);
        int i = 0;
        for (; i < _whole; i += Lanes)
        {
            Normalise(Vector256.LoadUnsafe(ref x, (nuint)i), i).StoreUnsafe(ref y, (nuint)i);
        }
        if (i < _count)
        {
            int rest = _count - i;
            input.AsSpan(i, rest).CopyTo(_tailInput);
            Normalise(Vector256.Create(_tailInput), i).CopyTo(_tailOutput);
            _tailOutput.AsSpan(0, rest).CopyTo(normalised.AsSpan(i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<short> Normalise(Vector256<int> raw, int first)
    {
        // vpmuldq multiplies the low (sign-extended) 32 bits of each 64-bit lane.
        Vector512<int> wide = Avx512F.ConvertToVector512Int64(raw).AsInt32();
        Vector512<int> multipliers = Vector512.LoadUnsafe(ref _multipliers.Start, (nuint)first).AsInt32();
        Vector512<long> scaled = Avx512F.Multiply(wide, multipliers)
            + Vector512.LoadUnsafe(ref _offsets.Start, (nuint)first);
        Vector512<long> shifted = Avx512F.ShiftRightArithmeticVariable(scaled, Vector512.LoadUnsafe(ref _shifts.Start, (nuint)first));
        return Avx512F.ConvertToVector128Int16WithSaturation(shifted);
    }
}
