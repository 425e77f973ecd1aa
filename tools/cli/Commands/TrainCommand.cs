using System.CommandLine;

namespace Embedded.Cli.Commands;

/// <summary>`train`: Train an RNN/LSTM/GRU on a CSV series or text (issue 2). Placeholder until that work lands.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train an RNN/LSTM/GRU on a CSV series or text (issue 2)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("train: not implemented yet");
            return 2;
        });
        return command;
    }
}
