namespace Embedded.Edge.Simulation;

/// <summary>MPU-6050 register addresses (register map revision 4.2).</summary>
public enum Mpu6050Register : byte
{
    SampleRateDivider = 0x19,
    Config = 0x1A,
    GyroConfig = 0x1B,
    AccelConfig = 0x1C,
    AccelXoutH = 0x3B,
    TempOutH = 0x41,
    GyroXoutH = 0x43,
    SignalPathReset = 0x68,
    PowerManagement1 = 0x6B,
    PowerManagement2 = 0x6C,
    WhoAmI = 0x75,
}
