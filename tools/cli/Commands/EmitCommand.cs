using System.CommandLine;
using Embedded.Cli.Flashing;

namespace Embedded.Cli.Commands;

/// <summary>`emit`: writes a model in a form the firmware embeds as its default (fallback) model.</summary>
internal static class EmitCommand
{
    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "Model image (model.bin) to embed" };
        var format = new Option<string>("--format") { Description = "csharp (DefaultModelData.cs, compiled into the firmware) or resource (.resx)", Required = true };
        format.AcceptOnlyFromAmong("csharp", "resource");
        var output = new Option<FileInfo>("--out") { Description = "Output file, e.g. firmware/NanoFramework/App/DefaultModelData.cs", Required = true };
        var ns = new Option<string>("--namespace") { Description = "Namespace of the generated C# class", DefaultValueFactory = _ => "Embedded.Firmware" };

        var command = new Command("emit", "Emit a model for embedding in firmware as its default model (C# byte array or .resx resource)");
        command.Arguments.Add(model);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(ns);
        command.SetAction(parseResult =>
        {
            var modelFile = parseResult.GetValue(model)!;
            var outFile = parseResult.GetValue(output)!;
            byte[] image;
            try
            {
                image = ModelFile.LoadVerified(modelFile.FullName);
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine("emit: " + e.Message);
                return FlashExitCodes.BadInput;
            }
            string text = parseResult.GetValue(format) == "csharp"
                ? ModelEmitter.CSharp(image, modelFile.Name, parseResult.GetValue(ns)!)
                : ModelEmitter.Resx(image);
            try
            {
                string? dir = Path.GetDirectoryName(outFile.FullName);
                if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
                string temp = outFile.FullName + ".tmp";
                File.WriteAllText(temp, text);
                File.Move(temp, outFile.FullName, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"emit: cannot write {outFile.FullName}: {e.Message}");
                return FlashExitCodes.BadInput;
            }
            Console.WriteLine($"emit: {image.Length} bytes -> {outFile.FullName}");
            return 0;
        });
        return command;
    }
}
