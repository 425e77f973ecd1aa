namespace Embedded.Edge.Sensors.Bmxx80;

/// <summary>
/// The datasheet's integer compensation (section 4.2.3 / 8.2): 32-bit temperature in 0.01 °C producing
/// t_fine, 64-bit pressure in Q24.8 Pa, 32-bit humidity in Q22.10 %RH. Shifts are arithmetic as in C.
/// </summary>
public static class Bme280Compensation
{
    /// <summary>Temperature in 0.01 °C ("5123" = 51.23 °C); <paramref name="tFine"/> feeds P and H.</summary>
    public static int Temperature(Bme280Calibration c, int adcT, out int tFine)
    {
        int var1 = (((adcT >> 3) - (c.DigT1 << 1)) * c.DigT2) >> 11;
        int d = (adcT >> 4) - c.DigT1;
        int var2 = (((d * d) >> 12) * c.DigT3) >> 14;
        tFine = var1 + var2;
        return (tFine * 5 + 128) >> 8;
    }

    /// <summary>Pressure in Pa as Q24.8 ("24674867" = 96386.2 Pa); 0 when dig_P1 would divide by zero.</summary>
    public static uint Pressure(Bme280Calibration c, int adcP, int tFine)
    {
        long var1 = (long)tFine - 128000;
        long var2 = var1 * var1 * c.DigP6;
        var2 += (var1 * c.DigP5) << 17;
        var2 += (long)c.DigP4 << 35;
        var1 = ((var1 * var1 * c.DigP3) >> 8) + ((var1 * c.DigP2) << 12);
        var1 = ((1L << 47) + var1) * c.DigP1 >> 33;
        if (var1 == 0) return 0;
        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (c.DigP9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (c.DigP8 * p) >> 19;
        p = ((p + var1 + var2) >> 8) + ((long)c.DigP7 << 4);
        return (uint)p;
    }

    /// <summary>Relative humidity as Q22.10 ("47445" = 46.333 %RH), clamped to 0..100 %.</summary>
    public static uint Humidity(Bme280Calibration c, int adcH, int tFine)
    {
        int x = tFine - 76800;
        x = ((((adcH << 14) - (c.DigH4 << 20) - (c.DigH5 * x)) + 16384) >> 15)
            * (((((((x * c.DigH6) >> 10) * (((x * c.DigH3) >> 11) + 32768)) >> 10) + 2097152) * c.DigH2 + 8192) >> 14);
        x -= ((((x >> 15) * (x >> 15)) >> 7) * c.DigH1) >> 4;
        x = x < 0 ? 0 : x;
        x = x > 419430400 ? 419430400 : x;
        return (uint)(x >> 12);
    }
}
