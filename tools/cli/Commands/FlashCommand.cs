using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`flash`: Send a model to a device over serial (issue 5). Placeholder until that work lands.</summary>
internal static class FlashCommand
{
    public static Command Create()
    {
        var command = new Command("flash", "Send a model to a device over serial (issue 5)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("flash: not implemented yet");
            return 2;
        });
        return command;
    }
}
