// Minimal nanoFramework v1 mscorlib: the core types the C# compiler needs, with nanoFramework's members.
namespace System
{
    public class Object
    {
        public Object() { }
        public virtual bool Equals(object obj) { return false; }
        public virtual int GetHashCode() { return 0; }
        public virtual string ToString() { return null; }
        public Type GetType() { return null; }
        public static bool ReferenceEquals(object a, object b) { return false; }
        protected object MemberwiseClone() { return null; }
    }

    public abstract class ValueType { }
    public abstract class Enum : ValueType { }
    public struct Void { }
    public abstract class Type { }
    public struct RuntimeTypeHandle { }
    public struct RuntimeFieldHandle { }
    public struct RuntimeMethodHandle { }
    public struct IntPtr { }
    public struct UIntPtr { }

    public struct Boolean { public override string ToString() { return null; } }
    public struct Char { public override string ToString() { return null; } }
    public struct SByte { public override string ToString() { return null; } public string ToString(string format) { return null; } public const sbyte MaxValue = 127; public const sbyte MinValue = -128; }
    public struct Byte { public override string ToString() { return null; } public string ToString(string format) { return null; } public const byte MaxValue = 255; public const byte MinValue = 0; }
    public struct Int16 { public override string ToString() { return null; } public string ToString(string format) { return null; } public const short MaxValue = 32767; public const short MinValue = -32768; }
    public struct UInt16 { public override string ToString() { return null; } public string ToString(string format) { return null; } public const ushort MaxValue = 65535; public const ushort MinValue = 0; }
    public struct Int32 { public override string ToString() { return null; } public string ToString(string format) { return null; } public const int MaxValue = 2147483647; public const int MinValue = -2147483648; public static int Parse(string s) { return 0; } public static bool TryParse(string s, out int result) { result = 0; return false; } }
    public struct UInt32 { public override string ToString() { return null; } public string ToString(string format) { return null; } public const uint MaxValue = 4294967295; public const uint MinValue = 0; }
    public struct Int64 { public override string ToString() { return null; } public string ToString(string format) { return null; } public const long MaxValue = 9223372036854775807; public const long MinValue = -9223372036854775808; public static long Parse(string s) { return 0; } }
    public struct UInt64 { public override string ToString() { return null; } public string ToString(string format) { return null; } public const ulong MaxValue = 18446744073709551615; public const ulong MinValue = 0; }
    public struct Single
    {
        public override string ToString() { return null; }
        public string ToString(string format) { return null; }
        public const float MaxValue = 3.40282347E+38f;
        public const float MinValue = -3.40282347E+38f;
        public const float Epsilon = 1.401298E-45f;
        public const float NaN = 0.0f / 0.0f;
        public const float PositiveInfinity = 1.0f / 0.0f;
        public const float NegativeInfinity = -1.0f / 0.0f;
        public static bool IsNaN(float f) { return false; }
        public static bool IsInfinity(float f) { return false; }
        public static float Parse(string s) { return 0; }
    }
    public struct Double
    {
        public override string ToString() { return null; }
        public string ToString(string format) { return null; }
        public const double MaxValue = 1.7976931348623157E+308;
        public const double MinValue = -1.7976931348623157E+308;
        public const double Epsilon = 4.94065645841247E-324;
        public const double NaN = 0.0 / 0.0;
        public const double PositiveInfinity = 1.0 / 0.0;
        public const double NegativeInfinity = -1.0 / 0.0;
        public static bool IsNaN(double d) { return false; }
        public static bool IsInfinity(double d) { return false; }
        public static bool IsPositiveInfinity(double d) { return false; }
        public static bool IsNegativeInfinity(double d) { return false; }
        public static double Parse(string s) { return 0; }
        public static bool TryParse(string s, out double result) { result = 0; return false; }
    }

    public sealed class String
    {
        public static readonly string Empty = "";
        public int Length { get { return 0; } }
        [System.Runtime.CompilerServices.IndexerName("Chars")]
        public char this[int index] { get { return '\0'; } }
        public String(char[] value) { }
        public String(char[] value, int startIndex, int length) { }
        public String(char c, int count) { }
        public static string Concat(object a) { return null; }
        public static string Concat(object a, object b) { return null; }
        public static string Concat(object a, object b, object c) { return null; }
        public static string Concat(object a, object b, object c, object d) { return null; }
        public static string Concat(params object[] args) { return null; }
        public static string Concat(string a, string b) { return null; }
        public static string Concat(string a, string b, string c) { return null; }
        public static string Concat(string a, string b, string c, string d) { return null; }
        public static string Concat(params string[] values) { return null; }
        public static string Format(string format, params object[] args) { return null; }
        public static bool Equals(string a, string b) { return false; }
        public static bool operator ==(string a, string b) { return false; }
        public static bool operator !=(string a, string b) { return false; }
        public override bool Equals(object obj) { return false; }
        public override int GetHashCode() { return 0; }
        public override string ToString() { return null; }
        public static bool IsNullOrEmpty(string value) { return false; }
        public char[] ToCharArray() { return null; }
        public string Substring(int startIndex) { return null; }
        public string Substring(int startIndex, int length) { return null; }
        public int IndexOf(char value) { return 0; }
        public int IndexOf(char value, int startIndex) { return 0; }
        public int IndexOf(string value) { return 0; }
        public int LastIndexOf(char value) { return 0; }
        public string[] Split(params char[] separator) { return null; }
        public string Trim() { return null; }
        public string TrimStart(params char[] trimChars) { return null; }
        public string TrimEnd(params char[] trimChars) { return null; }
        public string ToLower() { return null; }
        public string ToUpper() { return null; }
        public bool StartsWith(string value) { return false; }
        public bool EndsWith(string value) { return false; }
        public bool Contains(string value) { return false; }
        public string Replace(string oldValue, string newValue) { return null; }
        public static int Compare(string a, string b) { return 0; }
    }

    public abstract class Array
    {
        public int Length { get { return 0; } }
        public int Rank { get { return 1; } }
        public static void Copy(Array sourceArray, Array destinationArray, int length) { }
        public static void Copy(Array sourceArray, int sourceIndex, Array destinationArray, int destinationIndex, int length) { }
        public static void Clear(Array array, int index, int length) { }
        public static int IndexOf(Array array, object value) { return 0; }
        public static int IndexOf(Array array, object value, int startIndex) { return 0; }
        public static int IndexOf(Array array, object value, int startIndex, int count) { return 0; }
        public object Clone() { return null; }
        public System.Collections.IEnumerator GetEnumerator() { return null; }
    }

    public abstract class Delegate { }
    public abstract class MulticastDelegate : Delegate { }

    public interface IDisposable { void Dispose(); }
    public interface ICloneable { object Clone(); }

    public abstract class Attribute { }

    [Flags]
    public enum AttributeTargets
    {
        Assembly = 1, Module = 2, Class = 4, Struct = 8, Enum = 16, Constructor = 32, Method = 64, Property = 128,
        Field = 256, Event = 512, Interface = 1024, Parameter = 2048, Delegate = 4096, ReturnValue = 8192,
        GenericParameter = 16384, All = 32767,
    }

    [AttributeUsage(AttributeTargets.Class, Inherited = true)]
    public sealed class AttributeUsageAttribute : Attribute
    {
        public AttributeUsageAttribute(AttributeTargets validOn) { }
        public bool AllowMultiple { get { return false; } set { } }
        public bool Inherited { get { return false; } set { } }
    }

    [AttributeUsage(AttributeTargets.Enum)]
    public sealed class FlagsAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class ParamArrayAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.All)]
    public sealed class ObsoleteAttribute : Attribute
    {
        public ObsoleteAttribute() { }
        public ObsoleteAttribute(string message) { }
    }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field)]
    public sealed class SerializableAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.All)]
    public sealed class CLSCompliantAttribute : Attribute { public CLSCompliantAttribute(bool isCompliant) { } }

    public static class BitConverter
    {
        public static readonly bool IsLittleEndian = true;
        public static byte[] GetBytes(bool value) { return null; }
        public static byte[] GetBytes(char value) { return null; }
        public static byte[] GetBytes(short value) { return null; }
        public static byte[] GetBytes(ushort value) { return null; }
        public static byte[] GetBytes(int value) { return null; }
        public static byte[] GetBytes(uint value) { return null; }
        public static byte[] GetBytes(long value) { return null; }
        public static byte[] GetBytes(ulong value) { return null; }
        public static byte[] GetBytes(float value) { return null; }
        public static byte[] GetBytes(double value) { return null; }
        public static short ToInt16(byte[] value, int startIndex) { return 0; }
        public static ushort ToUInt16(byte[] value, int startIndex) { return 0; }
        public static int ToInt32(byte[] value, int startIndex) { return 0; }
        public static uint ToUInt32(byte[] value, int startIndex) { return 0; }
        public static long ToInt64(byte[] value, int startIndex) { return 0; }
        public static ulong ToUInt64(byte[] value, int startIndex) { return 0; }
        public static float ToSingle(byte[] value, int startIndex) { return 0; }
        public static double ToDouble(byte[] value, int startIndex) { return 0; }
        public static string ToString(byte[] value) { return null; }
        public static string ToString(byte[] value, int startIndex, int length) { return null; }
    }

    /// <summary>nanoFramework's Math: int, float and double overloads only (no long, no decimal, no MathF).</summary>
    public static class Math
    {
        public const double PI = 3.14159265358979323846;
        public const double E = 2.7182818284590452354;
        public static int Abs(int val) { return 0; }
        public static float Abs(float val) { return 0; }
        public static double Abs(double val) { return 0; }
        public static int Max(int x, int y) { return 0; }
        public static float Max(float x, float y) { return 0; }
        public static double Max(double x, double y) { return 0; }
        public static int Min(int x, int y) { return 0; }
        public static float Min(float x, float y) { return 0; }
        public static double Min(double x, double y) { return 0; }
        public static int Sign(int value) { return 0; }
        public static int Sign(float value) { return 0; }
        public static int Sign(double value) { return 0; }
        public static double Acos(double d) { return 0; }
        public static double Asin(double d) { return 0; }
        public static double Atan(double d) { return 0; }
        public static double Atan2(double y, double x) { return 0; }
        public static double Ceiling(double d) { return 0; }
        public static double Cos(double d) { return 0; }
        public static double Cosh(double d) { return 0; }
        public static double Exp(double d) { return 0; }
        public static double Floor(double d) { return 0; }
        public static double IEEERemainder(double x, double y) { return 0; }
        public static double Log(double d) { return 0; }
        public static double Log10(double d) { return 0; }
        public static double Pow(double x, double y) { return 0; }
        public static double Round(double d) { return 0; }
        public static double Sin(double d) { return 0; }
        public static double Sinh(double d) { return 0; }
        public static double Sqrt(double d) { return 0; }
        public static double Tan(double d) { return 0; }
        public static double Tanh(double d) { return 0; }
        public static double Truncate(double d) { return 0; }
    }

    public struct TimeSpan
    {
        public TimeSpan(long ticks) { }
        public TimeSpan(int hours, int minutes, int seconds) { }
        public long Ticks { get { return 0; } }
        public int Milliseconds { get { return 0; } }
        public int Seconds { get { return 0; } }
        public double TotalMilliseconds { get { return 0; } }
        public double TotalSeconds { get { return 0; } }
        public static TimeSpan FromMilliseconds(double value) { return new TimeSpan(0); }
        public static TimeSpan FromSeconds(double value) { return new TimeSpan(0); }
        public static readonly TimeSpan Zero = new TimeSpan(0);
        public static TimeSpan operator -(TimeSpan a, TimeSpan b) { return a; }
        public static TimeSpan operator +(TimeSpan a, TimeSpan b) { return a; }
        public static bool operator <(TimeSpan a, TimeSpan b) { return false; }
        public static bool operator >(TimeSpan a, TimeSpan b) { return false; }
        public static bool operator <=(TimeSpan a, TimeSpan b) { return false; }
        public static bool operator >=(TimeSpan a, TimeSpan b) { return false; }
    }

    public struct DateTime
    {
        public DateTime(long ticks) { }
        public DateTime(int year, int month, int day) { }
        public DateTime(int year, int month, int day, int hour, int minute, int second) { }
        public static DateTime UtcNow { get { return new DateTime(0); } }
        public long Ticks { get { return 0; } }
        public int Year { get { return 0; } }
        public int Month { get { return 0; } }
        public int Day { get { return 0; } }
        public int Hour { get { return 0; } }
        public int Minute { get { return 0; } }
        public int Second { get { return 0; } }
        public int Millisecond { get { return 0; } }
        public DateTime AddMilliseconds(double value) { return this; }
        public DateTime AddSeconds(double value) { return this; }
        public static TimeSpan operator -(DateTime a, DateTime b) { return new TimeSpan(0); }
        public static DateTime operator +(DateTime a, TimeSpan b) { return a; }
        public static bool operator <(DateTime a, DateTime b) { return false; }
        public static bool operator >(DateTime a, DateTime b) { return false; }
        public static bool operator <=(DateTime a, DateTime b) { return false; }
        public static bool operator >=(DateTime a, DateTime b) { return false; }
        public override string ToString() { return null; }
    }

    public sealed class Random
    {
        public Random() { }
        public Random(int seed) { }
        public int Next() { return 0; }
        public int Next(int maxValue) { return 0; }
        public double NextDouble() { return 0; }
        public void NextBytes(byte[] buffer) { }
    }

    public class EventArgs { public static readonly EventArgs Empty = new EventArgs(); }
    public delegate void EventHandler(object sender, EventArgs e);

    public class Exception
    {
        public Exception() { }
        public Exception(string message) { }
        public Exception(string message, Exception innerException) { }
        public virtual string Message { get { return null; } }
        public Exception InnerException { get { return null; } }
        public virtual string StackTrace { get { return null; } }
    }
    public class SystemException : Exception { public SystemException() { } public SystemException(string message) { } public SystemException(string message, Exception inner) { } }
    public class ArgumentException : SystemException
    {
        public ArgumentException() { }
        public ArgumentException(string message) { }
        public ArgumentException(string message, string paramName) { }
        public ArgumentException(string message, Exception innerException) { }
        public virtual string ParamName { get { return null; } }
    }
    public class ArgumentNullException : ArgumentException { public ArgumentNullException() { } public ArgumentNullException(string paramName) { } public ArgumentNullException(string paramName, string message) { } }
    public class ArgumentOutOfRangeException : ArgumentException { public ArgumentOutOfRangeException() { } public ArgumentOutOfRangeException(string paramName) { } public ArgumentOutOfRangeException(string paramName, string message) { } }
    public class InvalidOperationException : SystemException { public InvalidOperationException() { } public InvalidOperationException(string message) { } public InvalidOperationException(string message, Exception inner) { } }
    public class NotSupportedException : SystemException { public NotSupportedException() { } public NotSupportedException(string message) { } }
    public class NotImplementedException : SystemException { public NotImplementedException() { } public NotImplementedException(string message) { } }
    public class IndexOutOfRangeException : SystemException { public IndexOutOfRangeException() { } public IndexOutOfRangeException(string message) { } }
    public class NullReferenceException : SystemException { public NullReferenceException() { } public NullReferenceException(string message) { } }
    public class InvalidCastException : SystemException { public InvalidCastException() { } public InvalidCastException(string message) { } }
    public class OutOfMemoryException : SystemException { public OutOfMemoryException() { } public OutOfMemoryException(string message) { } }
    public class ObjectDisposedException : InvalidOperationException { public ObjectDisposedException(string objectName) { } public ObjectDisposedException(string objectName, string message) { } }
    public class TimeoutException : SystemException { public TimeoutException() { } public TimeoutException(string message) { } }
    public class FormatException : SystemException { public FormatException() { } public FormatException(string message) { } }
    public class OverflowException : SystemException { public OverflowException() { } public OverflowException(string message) { } }
    public class DivideByZeroException : SystemException { public DivideByZeroException() { } public DivideByZeroException(string message) { } }
}

namespace System.Collections
{
    public interface IEnumerator
    {
        object Current { get; }
        bool MoveNext();
        void Reset();
    }

    public interface IEnumerable
    {
        IEnumerator GetEnumerator();
    }

    public interface ICollection : IEnumerable
    {
        int Count { get; }
    }

    public interface IList : ICollection
    {
        object this[int index] { get; set; }
        int Add(object value);
        void Clear();
    }

    /// <summary>nanoFramework's non-generic list.</summary>
    public class ArrayList : IList
    {
        public ArrayList() { }
        public int Count { get { return 0; } }
        public object this[int index] { get { return null; } set { } }
        public int Add(object value) { return 0; }
        public void Clear() { }
        public void RemoveAt(int index) { }
        public IEnumerator GetEnumerator() { return null; }
        public object[] ToArray() { return null; }
        public Array ToArray(Type type) { return null; }
    }

    public class Hashtable : ICollection
    {
        public Hashtable() { }
        public int Count { get { return 0; } }
        public object this[object key] { get { return null; } set { } }
        public void Add(object key, object value) { }
        public bool Contains(object key) { return false; }
        public void Remove(object key) { }
        public IEnumerator GetEnumerator() { return null; }
    }
}

namespace System.Runtime.CompilerServices
{
    public static class RuntimeHelpers
    {
        public static void InitializeArray(System.Array array, System.RuntimeFieldHandle fldHandle) { }
        public static int OffsetToStringData { get { return 0; } }
    }

    [System.AttributeUsage(System.AttributeTargets.Property)]
    public sealed class IndexerNameAttribute : System.Attribute { public IndexerNameAttribute(string indexerName) { } }

    [System.AttributeUsage(System.AttributeTargets.All)]
    public sealed class ExtensionAttribute : System.Attribute { }

    public static class IsVolatile { }
}

namespace System.Diagnostics
{
    public static class Debug
    {
        public static void WriteLine(string message) { }
        public static void Assert(bool condition) { }
        public static void Assert(bool condition, string message) { }
    }

    public class Stopwatch
    {
        public static Stopwatch StartNew() { return null; }
        public void Start() { }
        public void Stop() { }
        public void Reset() { }
        public long ElapsedMilliseconds { get { return 0; } }
        public long ElapsedTicks { get { return 0; } }
        public System.TimeSpan Elapsed { get { return new System.TimeSpan(0); } }
    }
}

namespace System.Reflection
{
    [System.AttributeUsage(System.AttributeTargets.Class | System.AttributeTargets.Struct | System.AttributeTargets.Interface)]
    public sealed class DefaultMemberAttribute : System.Attribute { public DefaultMemberAttribute(string memberName) { } }

    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyTitleAttribute : System.Attribute { public AssemblyTitleAttribute(string title) { } }
}

namespace System.Text
{
    public abstract class Encoding
    {
        public static Encoding UTF8 { get { return null; } }
        public virtual byte[] GetBytes(string s) { return null; }
        public virtual string GetString(byte[] bytes, int index, int count) { return null; }
        public virtual char[] GetChars(byte[] bytes) { return null; }
    }

    public class StringBuilder
    {
        public StringBuilder() { }
        public StringBuilder(int capacity) { }
        public StringBuilder(string value) { }
        public int Length { get { return 0; } set { } }
        public StringBuilder Append(string value) { return this; }
        public StringBuilder Append(char value) { return this; }
        public StringBuilder Append(int value) { return this; }
        public StringBuilder Append(object value) { return this; }
        public StringBuilder AppendLine() { return this; }
        public StringBuilder AppendLine(string value) { return this; }
        public StringBuilder Clear() { return this; }
        public override string ToString() { return null; }
    }
}

namespace System.Threading
{
    public delegate void ThreadStart();
    public delegate void TimerCallback(object state);

    public sealed class Thread
    {
        public Thread(ThreadStart start) { }
        public void Start() { }
        public static void Sleep(int millisecondsTimeout) { }
        public static void Sleep(System.TimeSpan timeout) { }
    }

    public sealed class Timer : System.IDisposable
    {
        public Timer(TimerCallback callback, object state, int dueTime, int period) { }
        public Timer(TimerCallback callback, object state, System.TimeSpan dueTime, System.TimeSpan period) { }
        public bool Change(int dueTime, int period) { return false; }
        public void Dispose() { }
    }

    public static class Monitor
    {
        public static void Enter(object obj) { }
        public static void Exit(object obj) { }
    }

    public static class Interlocked
    {
        public static int Increment(ref int location) { return 0; }
        public static int Decrement(ref int location) { return 0; }
        public static int Exchange(ref int location, int value) { return 0; }
        public static int CompareExchange(ref int location, int value, int comparand) { return 0; }
    }

    public class WaitHandle
    {
        public virtual bool WaitOne() { return false; }
        public virtual bool WaitOne(int millisecondsTimeout, bool exitContext) { return false; }
    }

    public sealed class AutoResetEvent : WaitHandle
    {
        public AutoResetEvent(bool initialState) { }
        public bool Set() { return false; }
        public bool Reset() { return false; }
    }

    public sealed class ManualResetEvent : WaitHandle
    {
        public ManualResetEvent(bool initialState) { }
        public bool Set() { return false; }
        public bool Reset() { return false; }
    }
}
