using System.CommandLine;
using Embedded.Shared.Model;
using Embedded.Trainer.Checkpoints;
using Embedded.Trainer.Data;
using Embedded.Trainer.Quantization;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Embedded.Runtime.Tests")]

namespace Embedded.Cli.Commands;

/// <summary>`quantize`: float checkpoint + calibration data -> model.bin (docs/FORMAT.md) and model.bin.report.json.</summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Float checkpoint written by `train`", Required = true };
        var bits = new Option<int>("--bits") { Description = "Weight width: 8 or 16", DefaultValueFactory = _ => 16 };
        var calibration = new Option<FileInfo?>("--calibration") { Description = "Calibration data: a CSV (or text file) like the training data (default: the training data recorded in the checkpoint)" };
        var output = new Option<FileInfo>("--out") { Description = "Model file to write", Required = true };
        var maxRows = new Option<int>("--max-rows") { Description = "Use at most this many calibration rows (0 = all)", DefaultValueFactory = _ => 0 };
        var golden = new Option<int>("--golden") { Description = "Golden test steps stored in the model", DefaultValueFactory = _ => 16 };
        bits.Validators.Add(r => { if (r.GetValue(bits) is not (8 or 16)) r.AddError($"--bits must be 8 or 16, not {r.GetValue(bits)}"); });
        maxRows.Between(0, int.MaxValue);
        golden.Between(0, ModelFormat.MaxGoldenSteps, "the model format's limit");

        var command = new Command("quantize", "Quantize a float checkpoint into a binary model with golden vectors");
        command.Options.Add(model);
        command.Options.Add(bits);
        command.Options.Add(calibration);
        command.Options.Add(output);
        command.Options.Add(maxRows);
        command.Options.Add(golden);
        command.SetAction(parseResult =>
        {
            var modelFile = parseResult.GetValue(model)!;
            var calibrationFile = parseResult.GetValue(calibration);
            var outFile = parseResult.GetValue(output)!;
            try
            {
                if (IsQuantizedModel(modelFile))
                {
                    Console.Error.WriteLine($"quantize: {modelFile.FullName} is a quantized model (model.bin); pass the float checkpoint written by `train`");
                    return 1;
                }
                var floatModel = FloatModelFile.Load(modelFile.FullName);
                var data = calibrationFile is not null
                    ? CalibrationData.Load(floatModel, calibrationFile.FullName, parseResult.GetValue(maxRows))
                    : CalibrationData.LoadTrainingData(floatModel, modelFile.FullName, parseResult.GetValue(maxRows));
                var quantized = Quantizer.Quantize(floatModel, data.Rows, new QuantizeOptions
                {
                    Bits = parseResult.GetValue(bits),
                    Targets = data.Targets,
                    GoldenSteps = parseResult.GetValue(golden),
                });
                string reportPath = outFile.FullName + ".report.json";
                AtomicFile.WriteAllBytes(outFile.FullName, quantized.Image);
                AtomicFile.WriteAllText(reportPath, quantized.Report.ToJson());
                Console.WriteLine($"wrote {outFile.FullName} ({quantized.Image.Length} bytes) and {reportPath}");
                Console.WriteLine(quantized.Report.ToJson());
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SafeTensorsFormatException or DataFormatException
                                          or InvalidDataException or ArgumentException or InvalidOperationException or ModelFormatException)
            {
                Console.Error.WriteLine("quantize: " + e.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Whether the file starts with the binary model's magic ("RNNQ").</summary>
    private static bool IsQuantizedModel(FileInfo file)
    {
        if (!file.Exists || file.Length < 4) return false;
        using var stream = file.OpenRead();
        var magic = new byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && LittleEndianMagic(magic) == ModelFormat.Magic;
    }

    private static uint LittleEndianMagic(byte[] b) => (uint)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24);
}
