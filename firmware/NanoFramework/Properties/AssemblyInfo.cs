using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("Embedded.Firmware")]
[assembly: AssemblyDescription("ESP32 nanoFramework firmware: integer RNN/LSTM/GRU runtime, anomaly detection, serial model updates")]
[assembly: AssemblyConfiguration("")]
[assembly: AssemblyCompany("")]
[assembly: AssemblyProduct("Embedded.Firmware")]
[assembly: AssemblyCopyright("")]
[assembly: AssemblyTrademark("")]
[assembly: AssemblyCulture("")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
