using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Embedded.Trainer.Numerics;

/// <summary>
/// The handful of SIMD operations the matrix kernel needs, for one vector type. The kernel is generic over an
/// implementation (a struct, so the JIT specialises and inlines it), which lets one kernel serve float and double
/// at 512 bits (AVX-512) and 256 bits (AVX2, NEON pairs) alike.
/// </summary>
internal interface IVectorOps<T, TVector> where T : unmanaged
{
    static abstract int Count { get; }
    /// <summary>True where the ISA has 32 vector registers (AVX-512): tiles of 16 accumulators fit; AVX2 has 16.</summary>
    static abstract bool HasManyRegisters { get; }
    static abstract TVector Load(ref T source);
    static abstract void Store(TVector value, ref T destination);
    static abstract TVector Broadcast(T value);
    static abstract TVector Zero { get; }
    /// <summary>a·b + c, fused where the hardware can.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);
    static abstract TVector Add(TVector a, TVector b);
    static abstract TVector Subtract(TVector a, TVector b);
    static abstract TVector Multiply(TVector a, TVector b);
    /// <summary>1 / (1 + e^-a): from <see cref="FastExp"/> (relative error ~1e-7 in float, ~1e-16 in double).</summary>
    static abstract TVector Sigmoid(TVector a);
}

/// <summary>512-bit vectors (AVX-512).</summary>
internal readonly struct Vector512Ops<T> : IVectorOps<T, Vector512<T>> where T : unmanaged, INumber<T>
{
    public static int Count => Vector512<T>.Count;
    public static bool HasManyRegisters => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(ref T source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> value, ref T destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T value) => Vector512.Create(value);
    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sigmoid(Vector512<T> a)
    {
        if (typeof(T) == typeof(float)) return (Vector512<float>.One / (Vector512<float>.One + FastExp.Exp(-a.AsSingle()))).As<float, T>();
        if (typeof(T) == typeof(double)) return (Vector512<double>.One / (Vector512<double>.One + FastExp.Exp(-a.AsDouble()))).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}

/// <summary>256-bit vectors (AVX2/FMA; elsewhere whatever the JIT makes of them).</summary>
internal readonly struct Vector256Ops<T> : IVectorOps<T, Vector256<T>> where T : unmanaged, INumber<T>
{
    public static int Count => Vector256<T>.Count;
    public static bool HasManyRegisters => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(ref T source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> value, ref T destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T value) => Vector256.Create(value);
    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid(Vector256<T> a)
    {
        if (typeof(T) == typeof(float)) return (Vector256<float>.One / (Vector256<float>.One + FastExp.Exp(-a.AsSingle()))).As<float, T>();
        if (typeof(T) == typeof(double)) return (Vector256<double>.One / (Vector256<double>.One + FastExp.Exp(-a.AsDouble()))).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}

/// <summary>128-bit vectors (SSE, NEON): the element-wise cell loops' width where no wider vector is accelerated.</summary>
internal readonly struct Vector128Ops<T> : IVectorOps<T, Vector128<T>> where T : unmanaged, INumber<T>
{
    public static int Count => Vector128<T>.Count;
    public static bool HasManyRegisters => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(ref T source) => Vector128.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> value, ref T destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Broadcast(T value) => Vector128.Create(value);
    public static Vector128<T> Zero => Vector128<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        // Fused as on the wider paths (the same bits in the LSTM's element-wise forward at every width; correctly rounded in software without FMA).
        if (typeof(T) == typeof(float)) return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;
    /// <summary>The 256-bit form's operations on 128 bits (<see cref="FastExp.Exp(Vector128{float})"/>): the same bits per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sigmoid(Vector128<T> a)
    {
        if (typeof(T) == typeof(float)) return (Vector128<float>.One / (Vector128<float>.One + FastExp.Exp(-a.AsSingle()))).As<float, T>();
        if (typeof(T) == typeof(double)) return (Vector128<double>.One / (Vector128<double>.One + FastExp.Exp(-a.AsDouble()))).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }
}

/// <summary>One value at a time: the kernel's fallback where no vector unit is accelerated.</summary>
internal readonly struct ScalarOps<T> : IVectorOps<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;
    public static bool HasManyRegisters => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(ref T source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T value, ref T destination) => destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Broadcast(T value) => value;
    public static T Zero => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T MultiplyAdd(T a, T b, T c) => T.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Add(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Subtract(T a, T b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Multiply(T a, T b) => a * b;
    /// <summary>The vector forms' operations on one value (<see cref="FastExp.Exp(float)"/>): the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid(T a)
    {
        if (typeof(T) == typeof(float)) { float s = 1.0f / (1.0f + FastExp.Exp(-Unsafe.As<T, float>(ref a))); return Unsafe.As<float, T>(ref s); }
        if (typeof(T) == typeof(double)) { double s = 1.0 / (1.0 + FastExp.Exp(-Unsafe.As<T, double>(ref a))); return Unsafe.As<double, T>(ref s); }
        return T.One / (T.One + T.Exp(-a));
    }
}
