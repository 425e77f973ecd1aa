using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`detect`: Score a CSV stream for anomalies through the fixed-point runtime (issue 4). Placeholder until that work lands.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var command = new Command("detect", "Score a CSV stream for anomalies through the fixed-point runtime (issue 4)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("detect: not implemented yet");
            return 2;
        });
        return command;
    }
}
