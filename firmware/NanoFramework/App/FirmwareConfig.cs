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

        /// <summary>
        /// The board's managed heap in bytes; 0 = unknown, no RAM check. Program.cs sets it at start-up: 84 KiB on an
        /// ESP32 without PSRAM (nanoFramework's managed heap in internal RAM; 54 KiB with BLE), the PSRAM size less
        /// 512 KiB with PSRAM (nanoFramework puts the heap there). With it the flashing receiver refuses at Begin a
        /// model that cannot be loaded beside the running one (see <see cref="ModelRamBudget"/>).
        /// </summary>
        public int ManagedHeapBytes = 0;

        /// <summary>
        /// Heap the running firmware holds after boot: nanoCLR's own (mscorlib, the app's assemblies and their statics,
        /// among them the fused layers' activation tables: 28.7 KB) and the app with the embedded model's runner (at most
        /// 32.8 KB). Measured on nanoCLR by tools/nanoclr-ram (docs/FIRMWARE.md "RAM"), on the 64-bit host, where
        /// references and object fields are wider than on the 32-bit ESP32: an upper bound.
        /// </summary>
        public int BootHeapBytes = 61 * 1024;

        /// <summary>
        /// Heap a model update takes beside the running model whatever its size (the verifying predictor, the new
        /// runner's detector and buffers): 38.9 KB measured with a 1.1 KB model less 6 bytes per byte of it (tools/nanoclr-ram).
        /// </summary>
        public int UpdateHeapBytes = 32 * 1024;

        /// <summary>
        /// Heap an update takes per byte of the new model's image (its bytes, parsed arrays, the verifying and the
        /// new predictor, packed or reordered copies): with <see cref="UpdateHeapBytes"/> it covers every measured
        /// update (LSTM 8→32 int8 packed is the tightest, within 1 %; int16 models need 3.6–4.0).
        /// </summary>
        public int RamPerModelByte = 6;

        /// <summary>
        /// Bytes a new model may take beside the running one: <see cref="ManagedHeapBytes"/> less the boot and the fixed
        /// update heap; 0 when the heap is unknown (no check); at least 1 otherwise (a heap too small refuses every model).
        /// </summary>
        public int ModelRamBudget
        {
            get
            {
                if (ManagedHeapBytes <= 0) return 0;
                int budget = ManagedHeapBytes - BootHeapBytes - UpdateHeapBytes;
                return budget > 0 ? budget : 1;
            }
        }

        /// <summary>Provisioning key file on internal flash; when present, only signed models are accepted.</summary>
        public string KeyFile = "flash.key";

        /// <summary>
        /// Key (hex) written to <see cref="KeyFile"/> at boot when no key file exists yet: build the firmware
        /// once with it set to provision a board, then clear it again. An existing key file is never replaced.
        /// </summary>
        public string ProvisionKeyHex = "";
    }
}
