namespace Embedded.Firmware
{
    /// <summary>Board wiring and loop settings. Defaults suit an ESP32 DevKit; edit Program.cs to change them.</summary>
    public sealed class FirmwareConfig
    {
        /// <summary>Firmware version reported at boot and in the flashing handshake (major * 256 + minor).</summary>
        public const int Version = 0x0100;

        /// <summary>Onboard LED of most ESP32 DevKit boards; lit while the detector reports an anomaly.</summary>
        public int LedPin = 2;

        /// <summary>ADC1 channel sampled as the first feature; -1 to disable (ESP32 channel 6 = GPIO34).</summary>
        public int AdcChannel = 6;

        /// <summary>Volts per ADC count (3.3 V over 12 bits at 11 dB attenuation, roughly).</summary>
        public double AdcVoltsPerCount = 3.3 / 4095.0;

        /// <summary>Whether an MPU-6050 is fitted on I2C.</summary>
        public bool UseMpu6050 = false;

        /// <summary>3 = accelerometer only, 6 = accelerometer and gyroscope.</summary>
        public int MpuChannels = 3;

        public int I2cBus = 1;
        public int I2cDataPin = 21;
        public int I2cClockPin = 22;
        public int MpuAddress = Mpu6050.DefaultAddress;

        /// <summary>UART for flashing and status lines (COM1 carries the nanoFramework debugger).</summary>
        public string SerialPort = "COM2";
        public int SerialRxPin = 16;
        public int SerialTxPin = 17;
        public int BaudRate = 115200;

        /// <summary>Sample period when the model does not state one.</summary>
        public int DefaultSamplePeriodMs = 100;

        /// <summary>One status line every this many samples (0 = never).</summary>
        public int StatusEverySamples = 10;

        /// <summary>Largest model accepted over the wire (internal flash and RAM bound it).</summary>
        public int MaxModelSize = 64 * 1024;

        /// <summary>
        /// RAM the portable kernel may spend per int8 weight matrix on its packed copy (4 bytes per weight,
        /// about half the interpreter operations per multiply-accumulate); a larger matrix runs from the
        /// model's own bytes. 0 = never pack. 16 KiB packs the recurrent matrix of a GRU or LSTM up to H = 32.
        /// </summary>
        public int PackedBytesPerMatrix = 16 * 1024;

        /// <summary>Provisioning key file on internal flash; when present, only signed models are accepted.</summary>
        public string KeyFile = "flash.key";

        /// <summary>
        /// Key (hex) written to <see cref="KeyFile"/> at boot when no key file exists yet: build the firmware
        /// once with it set to provision a board, then clear it again. An existing key file is never replaced.
        /// </summary>
        public string ProvisionKeyHex = "";
    }
}
