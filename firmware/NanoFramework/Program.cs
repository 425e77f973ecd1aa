using System.Device.Gpio;
using System.Threading;
using Embedded.Firmware.Hardware;
using Embedded.Shared.Flashing;
using Embedded.Shared.Kernels;
using nanoFramework.Hardware.Esp32;

namespace Embedded.Firmware
{
    /// <summary>
    /// ESP32 entry point: routes pins, builds the hardware adapters and runs <see cref="FirmwareApp"/>
    /// forever. All behaviour lives in App/ (tested on .NET); this file only wires hardware.
    /// </summary>
    public static class Program
    {
        /// <summary>
        /// The managed heap nanoFramework gives this board (its ESP32 HeapLocation): the PSRAM less what it leaves to
        /// the IDF when PSRAM is present, else 84 KiB of internal RAM (54 KiB in BLE builds; set the config by hand there).
        /// </summary>
        private static int ManagedHeapBytes()
        {
            uint total;
            uint free;
            uint largest;
            NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.SpiRam, out total, out free, out largest);
            if (total > 1024 * 1024) return (int)total - 512 * 1024;
            return 84 * 1024;
        }

        public static void Main()
        {
            FirmwareConfig config = new FirmwareConfig();
            config.ManagedHeapBytes = ManagedHeapBytes();

            Configuration.SetPinFunction(config.SerialRxPin, DeviceFunction.COM2_RX);
            Configuration.SetPinFunction(config.SerialTxPin, DeviceFunction.COM2_TX);
            Configuration.SetPinFunction(config.I2cDataPin, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(config.I2cClockPin, DeviceFunction.I2C1_CLOCK);

            UartSerialLink serial = new UartSerialLink(config.SerialPort, config.BaudRate);
            GpioController gpio = new GpioController();
            IDigitalOutput led = new GpioDigitalOutput(gpio, config.LedPin);

            IAnalogInput adc = null;
            if (config.AdcChannel >= 0)
            {
                adc = new AdcAnalogInput(config.AdcChannel);
            }
            Mpu6050 mpu = null;
            if (config.UseMpu6050)
            {
                mpu = new Mpu6050(new I2cBusDevice(config.I2cBus, config.MpuAddress));
            }
            SensorSampler sampler = new SensorSampler(adc, config.AdcVoltsPerCount, mpu, config.MpuChannels);

            // One kernel for the self-test and the runner, so a received model is checked as it will run.
            PortableKernel kernel = new PortableKernel(config.PackedBytesPerMatrix);
            FirmwareApp app = new FirmwareApp(config, serial, new SystemClock(), new InternalFlashStore("I:\\"),
                new DefaultModel(), new GoldenVectorValidator(kernel), new ModelRunnerFactory(kernel), sampler, led);
            app.Boot();

            while (true)
            {
                app.Tick();
                int wait = app.MillisecondsUntilNextSample;
                // Wake at least every 5 ms so serial bytes are drained before the UART buffer fills.
                Thread.Sleep(wait > 5 ? 5 : (wait > 0 ? wait : 1));
            }
        }
    }
}
