namespace Embedded.Firmware
{
    /// <summary>
    /// Reads one sample of features from the configured sensors: the ADC channel (volts) first, then the
    /// MPU-6050 (accel in g, then gyro in °/s). A failing sensor never throws out of here: the failure
    /// is counted, the sample is skipped, and the MPU is re-initialised on the next try.
    /// </summary>
    public sealed class SensorSampler
    {
        private readonly IAnalogInput _adc;
        private readonly double _voltsPerCount;
        private readonly Mpu6050 _mpu;
        private readonly int _mpuChannels;
        private readonly string[] _names;

        /// <param name="adc">ADC channel, or null when not used.</param>
        /// <param name="voltsPerCount">Reference voltage / full-scale count.</param>
        /// <param name="mpu">Motion sensor, or null when not used.</param>
        /// <param name="mpuChannels">3 (accelerometer) or 6 (accelerometer and gyroscope).</param>
        public SensorSampler(IAnalogInput adc, double voltsPerCount, Mpu6050 mpu, int mpuChannels)
        {
            _adc = adc;
            _voltsPerCount = voltsPerCount;
            _mpu = mpu;
            _mpuChannels = mpu == null ? 0 : (mpuChannels == 6 ? 6 : 3);
            _names = new string[FeatureCount];
            int index = 0;
            if (adc != null) _names[index++] = "adc";
            string[] mpuNames = new string[] { "accel_x", "accel_y", "accel_z", "gyro_x", "gyro_y", "gyro_z" };
            for (int i = 0; i < _mpuChannels; i++) _names[index++] = mpuNames[i];
        }

        /// <summary>
        /// Names of the features in sample order (the CSV columns `embedded record` writes): "adc" (volts),
        /// then "accel_x", "accel_y", "accel_z" (g) and "gyro_x", "gyro_y", "gyro_z" (°/s).
        /// </summary>
        public string[] FeatureNames
        {
            get { return _names; }
        }

        /// <summary>Features per sample.</summary>
        public int FeatureCount
        {
            get { return (_adc != null ? 1 : 0) + _mpuChannels; }
        }

        /// <summary>Failed reads since boot.</summary>
        public int Errors { get; private set; }

        /// <summary>Fills <paramref name="features"/>; false (and counted) when any sensor failed.</summary>
        public bool TrySample(double[] features)
        {
            try
            {
                int index = 0;
                if (_adc != null)
                {
                    features[index++] = _adc.ReadRaw() * _voltsPerCount;
                }
                if (_mpu != null)
                {
                    if (!_mpu.IsReady && !_mpu.Initialize()) throw new System.IO.IOException("MPU-6050 not found");
                    _mpu.Read(features, index, _mpuChannels);
                }
                return true;
            }
            catch (System.Exception)
            {
                Errors++;
                return false;
            }
        }
    }
}
