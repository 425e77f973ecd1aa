using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`generate`: Sample text from a next-symbol model on the fixed-point runtime (issue 4). Placeholder until that work lands.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var command = new Command("generate", "Sample text from a next-symbol model on the fixed-point runtime (issue 4)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("generate: not implemented yet");
            return 2;
        });
        return command;
    }
}
