using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`demo`: Bundled end-to-end demo: train, quantize, detect, plot (issue 4). Placeholder until that work lands.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Bundled end-to-end demo: train, quantize, detect, plot (issue 4)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("demo: not implemented yet");
            return 2;
        });
        return command;
    }
}
