// Device APIs of the nanoFramework class libraries the firmware references (packages.config in
// firmware/NanoFramework), as nanoFramework declares them: System.IO.FileSystem, System.IO.Ports,
// System.Device.Gpio/Adc/I2c (1.x, SpanByte buffers), nanoFramework.Hardware.Esp32, and the assembly
// attributes of Properties/AssemblyInfo.cs. Bodies are placeholders: this is a compile-time surface only.

namespace System
{
    /// <summary>nanoFramework 1.x byte span; byte[] converts implicitly (I2C and SPI buffers take it).</summary>
    public struct SpanByte
    {
        public SpanByte(byte[] array) { }
        public SpanByte(byte[] array, int start, int length) { }
        public int Length { get { return 0; } }
        public static implicit operator SpanByte(byte[] array) { return new SpanByte(array); }
    }
}

namespace System.Reflection
{
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyDescriptionAttribute : System.Attribute { public AssemblyDescriptionAttribute(string description) { } }
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyConfigurationAttribute : System.Attribute { public AssemblyConfigurationAttribute(string configuration) { } }
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyCompanyAttribute : System.Attribute { public AssemblyCompanyAttribute(string company) { } }
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyProductAttribute : System.Attribute { public AssemblyProductAttribute(string product) { } }
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyCopyrightAttribute : System.Attribute { public AssemblyCopyrightAttribute(string copyright) { } }
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyTrademarkAttribute : System.Attribute { public AssemblyTrademarkAttribute(string trademark) { } }
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyCultureAttribute : System.Attribute { public AssemblyCultureAttribute(string culture) { } }
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyVersionAttribute : System.Attribute { public AssemblyVersionAttribute(string version) { } }
    [System.AttributeUsage(System.AttributeTargets.Assembly)]
    public sealed class AssemblyFileVersionAttribute : System.Attribute { public AssemblyFileVersionAttribute(string version) { } }
}

namespace System.Runtime.InteropServices
{
    [System.AttributeUsage(System.AttributeTargets.All)]
    public sealed class ComVisibleAttribute : System.Attribute { public ComVisibleAttribute(bool visibility) { } }
}

namespace System.IO
{
    public class IOException : System.SystemException
    {
        public IOException() { }
        public IOException(string message) { }
        public IOException(string message, int hresult) { }
    }

    public enum FileMode { CreateNew = 1, Create = 2, Open = 3, OpenOrCreate = 4, Truncate = 5, Append = 6 }

    public enum FileAccess { Read = 1, Write = 2, ReadWrite = 3 }

    public enum SeekOrigin { Begin = 0, Current = 1, End = 2 }

    public abstract class Stream : System.IDisposable
    {
        public abstract bool CanRead { get; }
        public abstract bool CanWrite { get; }
        public abstract long Length { get; }
        public abstract long Position { get; set; }
        public abstract int Read(byte[] buffer, int offset, int count);
        public abstract void Write(byte[] buffer, int offset, int count);
        public abstract void Flush();
        public abstract long Seek(long offset, SeekOrigin origin);
        public void Close() { }
        public void Dispose() { }
    }

    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode) { }
        public FileStream(string path, FileMode mode, FileAccess access) { }
        public override bool CanRead { get { return false; } }
        public override bool CanWrite { get { return false; } }
        public override long Length { get { return 0; } }
        public override long Position { get { return 0; } set { } }
        public override int Read(byte[] buffer, int offset, int count) { return 0; }
        public override void Write(byte[] buffer, int offset, int count) { }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) { return 0; }
    }

    public static class File
    {
        public static bool Exists(string path) { return false; }
        public static void Delete(string path) { }
        public static void Move(string sourceFileName, string destFileName) { }
        public static void Copy(string sourceFileName, string destFileName) { }
        public static FileStream Create(string path) { return null; }
    }
}

namespace System.IO.Ports
{
    public class SerialPort : System.IDisposable
    {
        public SerialPort(string portName) { }
        public SerialPort(string portName, int baudRate) { }
        public string PortName { get { return null; } }
        public int BaudRate { get { return 0; } set { } }
        public int ReadTimeout { get { return 0; } set { } }
        public int WriteTimeout { get { return 0; } set { } }
        public int BytesToRead { get { return 0; } }
        public bool IsOpen { get { return false; } }
        public void Open() { }
        public void Close() { }
        public int Read(byte[] buffer, int offset, int count) { return 0; }
        public void Write(byte[] buffer, int offset, int count) { }
        public void Dispose() { }
        public static string[] GetPortNames() { return null; }
    }
}

namespace System.Device.Gpio
{
    public enum PinMode { Input = 0, Output = 1, InputPullDown = 2, InputPullUp = 3 }

    public struct PinValue
    {
        public static readonly PinValue Low = new PinValue();
        public static readonly PinValue High = new PinValue();
    }

    public class GpioPin : System.IDisposable
    {
        public int PinNumber { get { return 0; } }
        public PinValue Read() { return PinValue.Low; }
        public void Write(PinValue value) { }
        public void Toggle() { }
        public void SetPinMode(PinMode mode) { }
        public void Dispose() { }
    }

    public class GpioController : System.IDisposable
    {
        public GpioController() { }
        public GpioPin OpenPin(int pinNumber) { return null; }
        public GpioPin OpenPin(int pinNumber, PinMode mode) { return null; }
        public void ClosePin(int pinNumber) { }
        public void Write(int pinNumber, PinValue value) { }
        public void Dispose() { }
    }
}

namespace System.Device.Adc
{
    public class AdcChannel : System.IDisposable
    {
        public int ReadValue() { return 0; }
        public double ReadRatio() { return 0; }
        public void Dispose() { }
    }

    public class AdcController
    {
        public AdcController() { }
        public int ChannelCount { get { return 0; } }
        public int MaxValue { get { return 0; } }
        public int MinValue { get { return 0; } }
        public int ResolutionInBits { get { return 0; } }
        public AdcChannel OpenChannel(int channelNumber) { return null; }
    }
}

namespace System.Device.I2c
{
    public enum I2cBusSpeed { StandardMode = 0, FastMode = 1, FastModePlus = 2 }

    public enum I2cTransferStatus { UnknownError = 0, FullTransfer = 1, ClockStretchTimeout = 2, PartialTransfer = 3, SlaveAddressNotAcknowledged = 4 }

    public struct I2cTransferResult
    {
        public uint BytesTransferred { get { return 0; } }
        public I2cTransferStatus Status { get { return I2cTransferStatus.UnknownError; } }
    }

    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress) { }
        public int BusId { get { return 0; } }
        public int DeviceAddress { get { return 0; } }
    }

    public class I2cDevice : System.IDisposable
    {
        public I2cDevice(I2cConnectionSettings settings) { }
        public static I2cDevice Create(I2cConnectionSettings settings) { return null; }
        public byte ReadByte() { return 0; }
        public I2cTransferResult Read(System.SpanByte buffer) { return new I2cTransferResult(); }
        public I2cTransferResult WriteByte(byte value) { return new I2cTransferResult(); }
        public I2cTransferResult Write(System.SpanByte buffer) { return new I2cTransferResult(); }
        public I2cTransferResult WriteRead(System.SpanByte writeBuffer, System.SpanByte readBuffer) { return new I2cTransferResult(); }
        public void Dispose() { }
    }
}

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        COM1_RX = 0x0100, COM1_TX, COM1_RTS, COM1_CTS,
        COM2_RX = 0x0200, COM2_TX, COM2_RTS, COM2_CTS,
        COM3_RX = 0x0300, COM3_TX, COM3_RTS, COM3_CTS,
        I2C1_DATA = 0x0400, I2C1_CLOCK,
        I2C2_DATA = 0x0500, I2C2_CLOCK,
    }

    public static class Configuration
    {
        public static void SetPinFunction(int gpioNumber, DeviceFunction deviceFunction) { }
        public static int GetFunctionPin(DeviceFunction deviceFunction) { return 0; }
    }
}
