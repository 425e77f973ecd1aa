// Stand-ins for the nanoFramework device libraries the firmware references (packages.config in
// firmware/NanoFramework): System.IO.Streams, System.IO.FileSystem, System.IO.Ports, System.Device.Gpio,
// System.Device.Adc, System.Device.I2c and nanoFramework.Hardware.Esp32. Compiled against the real
// mscorlib only when ../shared/tools/nanoclr/refs is absent; when present, DeviceStandInTests checks
// every type and member here against the real libraries (same signature, same enum values).
// Only what the firmware uses; bodies are placeholders.

namespace System.IO
{
    public enum FileMode { CreateNew = 1, Create = 2, Open = 3, OpenOrCreate = 4, Truncate = 5, Append = 6 }

    public enum FileAccess { Read = 1, Write = 2, ReadWrite = 3 }

    public enum SeekOrigin { Begin = 0, Current = 1, End = 2 }

    public abstract class Stream : System.MarshalByRefObject, System.IDisposable
    {
        public abstract bool CanRead { get; }
        public abstract bool CanWrite { get; }
        public abstract long Length { get; }
        public abstract long Position { get; set; }
        public abstract int Read(byte[] buffer, int offset, int count);
        public abstract void Write(byte[] buffer, int offset, int count);
        public abstract void Flush();
        public abstract long Seek(long offset, SeekOrigin origin);
        public virtual void Close() { }
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
        public override void Close() { }
    }

    public static class File
    {
        public static bool Exists(string path) { return false; }
        public static void Delete(string path) { }
        public static void Move(string sourceFileName, string destFileName) { }
        public static void Copy(string sourceFileName, string destFileName) { }
        public static FileStream Create(string path) { return null; }
        public static byte[] ReadAllBytes(string path) { return null; }
    }
}

namespace System.IO.Ports
{
    public enum Parity { None = 0, Odd = 1, Even = 2 }

    public enum StopBits { One = 1, Two = 2, OnePointFive = 3 }

    public class SerialPort : System.IDisposable
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) { }
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
    public enum PinMode { Input = 0, InputPullDown = 1, InputPullUp = 2, Output = 3 }

    public struct PinValue
    {
        public static PinValue Low { get { return new PinValue(); } }
        public static PinValue High { get { return new PinValue(); } }
    }

    public class GpioPin : System.IDisposable
    {
        private GpioPin() { }
        public int PinNumber { get { return 0; } }
        public PinValue Read() { return PinValue.Low; }
        public void Write(PinValue value) { }
        public void Toggle() { }
        public void SetPinMode(PinMode value) { }
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
    public abstract class AdcChannelBase
    {
        public abstract int ReadValue();
        public double ReadRatio() { return 0; }
    }

    public class AdcChannel : AdcChannelBase, System.IDisposable
    {
        private AdcChannel() { }
        public override int ReadValue() { return 0; }
        public void Dispose() { }
    }

    public abstract class AdcControllerBase
    {
        public abstract int ChannelCount { get; }
        public abstract int MaxValue { get; }
        public abstract int MinValue { get; }
        public abstract int ResolutionInBits { get; }
        public abstract AdcChannel OpenChannel(int channelNumber);
    }

    public class AdcController : AdcControllerBase
    {
        public AdcController() { }
        public override int ChannelCount { get { return 0; } }
        public override int MaxValue { get { return 0; } }
        public override int MinValue { get { return 0; } }
        public override int ResolutionInBits { get { return 0; } }
        public override AdcChannel OpenChannel(int channelNumber) { return null; }
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
        I2C1_DATA = 0x20100, I2C1_CLOCK,
        I2C2_DATA = 0x20200, I2C2_CLOCK,
        COM1_TX = 0x30100, COM1_RX, COM1_RTS, COM1_CTS,
        COM2_TX = 0x30200, COM2_RX, COM2_RTS, COM2_CTS,
        COM3_TX = 0x30300, COM3_RX, COM3_RTS, COM3_CTS,
    }

    public class Configuration
    {
        public static void SetPinFunction(int gpioNumber, DeviceFunction deviceFunction) { }
        public static int GetFunctionPin(DeviceFunction deviceFunction) { return 0; }
    }

    public class NativeMemory
    {
        public enum MemoryType
        {
            All = 0,
            Internal = 1,
            SpiRam = 2,
        }

        public static void GetMemoryInfo(MemoryType memType, out uint totalSize, out uint totalFreeSize, out uint largestFreeBlock)
        {
            totalSize = 0;
            totalFreeSize = 0;
            largestFreeBlock = 0;
        }
    }
}
