using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`evaluate`: NAB score of detection results (issue 4). Placeholder until that work lands.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var command = new Command("evaluate", "NAB score of detection results (issue 4)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("evaluate: not implemented yet");
            return 2;
        });
        return command;
    }
}
