using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`emit`: Emit a model for embedding in firmware (issue 5). Placeholder until that work lands.</summary>
internal static class EmitCommand
{
    public static Command Create()
    {
        var command = new Command("emit", "Emit a model for embedding in firmware (issue 5)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("emit: not implemented yet");
            return 2;
        });
        return command;
    }
}
