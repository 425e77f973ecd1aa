using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`quantize`: Quantize a float checkpoint into a binary model (issue 3). Placeholder until that work lands.</summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var command = new Command("quantize", "Quantize a float checkpoint into a binary model (issue 3)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("quantize: not implemented yet");
            return 2;
        });
        return command;
    }
}
