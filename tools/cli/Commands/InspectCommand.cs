using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`inspect`: Print a binary model's structure and check its CRC and golden vectors (issue 3). Placeholder until that work lands.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var command = new Command("inspect", "Print a binary model's structure and check its CRC and golden vectors (issue 3)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("inspect: not implemented yet");
            return 2;
        });
        return command;
    }
}
