using System.CommandLine;
using System.Globalization;
using Embedded.Evaluation.Demo;
using Embedded.Evaluation.Detection;

namespace Embedded.Cli.Commands;

/// <summary>
/// `demo`: the README's one command. On the bundled data (data/ at the repository root) it trains a
/// forecaster on the first rows, quantizes it, detects anomalies through the fixed-point runtime,
/// prints a summary and writes model.bin, scores.csv and detection.png.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultDataFile = "machine_temperature_system_failure.csv";

    public static Command Create()
    {
        var data = new Option<FileInfo?>("--data") { Description = $"Stream CSV (default: the bundled data/{DefaultDataFile})" };
        var windows = new Option<FileInfo?>("--windows") { Description = "Labelled windows, NAB windows.json style (default: windows.json beside the data)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for model.bin, scores.csv and detection.png", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "demo")) };
        var seed = new Option<int>("--seed") { Description = "Training seed", DefaultValueFactory = _ => ForecastTrainingOptions.Default.Seed };
        var command = new Command("demo", "Train, quantize and detect anomalies on the bundled data; print a summary and write a PNG plot")
        {
            data, windows, output, seed,
        };
        command.SetAction(parse =>
        {
            try
            {
                string dataPath = parse.GetValue(data)?.FullName ?? FindBundledData();
                string? windowsPath = parse.GetValue(windows)?.FullName;
                if (windowsPath is null)
                {
                    string beside = Path.Combine(Path.GetDirectoryName(dataPath)!, "windows.json");
                    if (File.Exists(beside)) windowsPath = beside;
                }
                Console.WriteLine($"demo: training on the first rows of {dataPath}, quantizing, scoring every row on the fixed-point runtime...");
                var training = ForecastTrainingOptions.Default with { Seed = parse.GetValue(seed) };
                var s = DemoRunner.Run(dataPath, windowsPath, parse.GetValue(output)!.FullName, training);
                Print(s);
                return 0;
            }
            catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"demo: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Print(DemoSummary s)
    {
        var inv = CultureInfo.InvariantCulture;
        string F(double v, string format = "0.###") => v.ToString(format, inv);
        Console.WriteLine();
        Console.WriteLine($"  data              {s.DataPath}: {s.Rows} rows");
        Console.WriteLine($"  training          first {s.TrainRows} rows, {F(s.TrainSeconds, "0.0")} s (train + quantize)");
        Console.WriteLine($"  model             {s.ModelBytes} bytes ({s.WeightBits}-bit weights, {s.ParameterBytes} bytes of parameters, {s.DetectorBytes}-byte detector section)");
        Console.WriteLine($"  forecast RMSE     fixed point {F(s.RmseFixed)}, float {F(s.RmseFloat)} (rows after training); fixed vs float {F(s.RmseFixedVsFloat, "0.#####")}");
        Console.WriteLine($"  scoring           {s.Rows} rows in {F(s.ScoreSeconds, "0.00")} s on the portable integer runtime");
        Console.WriteLine($"  alarms            {s.AlarmEvents} alarm event(s) at threshold {F(s.Threshold)}: {s.WindowsFound} of {s.LabelledWindows} labelled anomaly window(s) found, {s.FalseAlarms} alarm(s) outside them");
        if (s.NabStandardAtThreshold is double nab) Console.WriteLine($"  NAB standard      {F(nab, "0.0")} on this file at the model's own threshold (100 = perfect, 0 = never alarming)");
        Console.WriteLine($"  wrote             {s.ModelPath}");
        Console.WriteLine($"                    {s.ScoresPath}");
        Console.WriteLine($"                    {s.PlotPath}");
    }

    /// <summary>data/&lt;default file&gt; above the working directory or the executable (a clone run from anywhere inside it).</summary>
    public static string FindBundledData()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, "data", DefaultDataFile);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException($"bundled data/{DefaultDataFile} not found above {Directory.GetCurrentDirectory()}; pass --data FILE.csv");
    }
}
