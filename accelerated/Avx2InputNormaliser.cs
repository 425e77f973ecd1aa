using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Embedded.Shared.Kernels;
using Embedded.Shared.Model;

namespace Embedded.Accelerated;

/// <summary>
/// AVX2 input normaliser, 8 features per step (two vectors of 4 int64 lanes), bit-exact with the portable
/// InputNormaliser; the arithmetic of <see cref="Avx512InputNormaliser"/> without AVX-512's int64 shift and
/// saturating narrow. (x − mean)·m + r = x·m + (r − mean·m): one vpmuldq and the add of a per-feature constant,
/// which also carries 2^63 (mod 2^64), so the sum read as unsigned is value + 2^63 ≥ 0: shifted logically
/// (vpsrlvq) and less 2^63 >> s it is the arithmetic shift. Then ±32768 by compare and blend (AVX2 has no
/// int64 min/max), the low halves gathered and packed to int16. No overflow: |x·m| &lt; 2^46,
/// |mean·m| &lt; 2^46 and r ≤ 2^61 (m &lt; 2^15, shifts ≤ 62), as in the portable code.
/// </summary>
internal sealed class Avx2InputNormaliser : IInputNormaliser
{
    private const int Lanes = 8;

    // Per feature, padded with zeros to whole vectors (a zero lane normalises to 0: 2^63 >>> 0 − 2^63).
    private readonly AlignedBuffer<long> _multipliers;
    private readonly AlignedBuffer<long> _offsets;
    private readonly AlignedBuffer<ulong> _shifts;
    private readonly AlignedBuffer<ulong> _tops;
    private readonly int _count;
    private readonly int _whole;
    // The last, partial vector goes through these, so loads and stores never leave the caller's arrays.
    private readonly int[] _tailInput = new int[Lanes];
    private readonly short[] _tailOutput = new short[Lanes];

    public Avx2InputNormaliser(ModelImage model)
    {
        _count = model.InputMeans.Length;
        _whole = _count / Lanes * Lanes;
        int padded = (_count + Lanes - 1) / Lanes * Lanes;
        _multipliers = new AlignedBuffer<long>(padded);
        _offsets = new AlignedBuffer<long>(padded);
        _shifts = new AlignedBuffer<ulong>(padded);
        _tops = new AlignedBuffer<ulong>(padded);
        const ulong top = 0x8000_0000_0000_0000UL;
        for (int i = 0; i < padded; i++)
        {
            _offsets[i] = unchecked((long)top);
            _tops[i] = top;
        }
        for (int i = 0; i < _count; i++)
        {
            int shift = model.InputShifts[i];
            long rounding = shift > 0 ? 1L << (shift - 1) : 0L;
            _multipliers[i] = model.InputMultipliers[i];
            _offsets[i] = unchecked(rounding - (long)model.InputMeans[i] * model.InputMultipliers[i] + (long)top);
            _shifts[i] = (ulong)shift;
            _tops[i] = top >> shift;
        }
    }

    /// <summary>AVX2 is all it needs.</summary>
    public static bool Supported => Avx2.IsSupported && Vector256.IsHardwareAccelerated;

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
        Vector256<long> low = Half(raw.GetLower(), first);
        Vector256<long> high = Half(raw.GetUpper(), first + 4);
        // Each lane now within int16: its low 32 bits, lanes 0, 2 of each 128-bit half, then in order and packed.
        Vector256<int> both = Avx.Shuffle(low.AsSingle(), high.AsSingle(), 0b10_00_10_00).AsInt32();
        Vector256<int> ordered = Avx2.Permute4x64(both.AsInt64(), 0b11_01_10_00).AsInt32();
        return Sse2.PackSignedSaturate(ordered.GetLower(), ordered.GetUpper());
    }

    /// <summary>Four features: the rounded shift of x·m + offset, clamped to the int16 range, in int64 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<long> Half(Vector128<int> raw, int first)
    {
        // vpmuldq multiplies the low (sign-extended) 32 bits of each 64-bit lane.
        Vector256<int> wide = Avx2.ConvertToVector256Int64(raw).AsInt32();
        Vector256<long> biased = Avx2.Multiply(wide, Vector256.LoadUnsafe(ref _multipliers.Start, (nuint)first).AsInt32())
            + Vector256.LoadUnsafe(ref _offsets.Start, (nuint)first);
        Vector256<long> shifted = (Avx2.ShiftRightLogicalVariable(biased.AsUInt64(), Vector256.LoadUnsafe(ref _shifts.Start, (nuint)first))
            - Vector256.LoadUnsafe(ref _tops.Start, (nuint)first)).AsInt64();
        Vector256<long> max = Vector256.Create(32767L), min = Vector256.Create(-32768L);
        shifted = Avx2.BlendVariable(shifted, max, Avx2.CompareGreaterThan(shifted, max));
        return Avx2.BlendVariable(shifted, min, Avx2.CompareGreaterThan(min, shifted));
    }
}
